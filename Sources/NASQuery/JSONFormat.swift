/// JSON output of rows: an array of objects, or one object per line (JSON Lines).
///
/// Keys are the column names (a repeated name gets `_2`, `_3`, ...); integers and reals are JSON
/// numbers (infinite reals are written `1e999`/`-1e999`, which JSON parsers read as infinity),
/// NULL is `null`, text is a string, a blob is its SQL hex literal as a string. SQLite has no
/// boolean type: a flag such as `in_window` is stored as 0/1, and written as `false`/`true` only
/// in the columns the caller names in `booleans` (exports and fronts, whose columns are known).
package enum JSONFormat {
    /// Writes every row of `rows`; objects keep the column order. Integers 0 and 1 in the
    /// columns named in `booleans` are written as `false` and `true`.
    package static func write(_ rows: some RowSource, to sink: OutputSink, lines: Bool, booleans: Set<String> = []) throws {
        let keys = uniqueKeys(rows.columns).map { quoted($0) + ":" }
        let isBoolean = rows.columns.map(booleans.contains)
        var first = true
        if !lines { try sink.write("[") }
        try rows.forEachRow { values in
            if !lines { try sink.write(first ? "\n" : ",\n") }
            first = false
            try sink.write(byte: UInt8(ascii: "{"))
            for (index, value) in values.enumerated() {
                if index > 0 { try sink.write(byte: UInt8(ascii: ",")) }
                try sink.write(keys[index])
                if isBoolean[index], case .integer(let flag) = value, flag == 0 || flag == 1 {
                    try sink.write(flag == 1 ? "true" : "false")
                } else {
                    try write(value, to: sink)
                }
            }
            try sink.write(byte: UInt8(ascii: "}"))
            if lines { try sink.write(byte: 0x0A) }
        }
        if !lines { try sink.write(first ? "]\n" : "\n]\n") }
        try sink.flush()
    }

    /// Column names made unique: the second `id` becomes `id_2`.
    package static func uniqueKeys(_ columns: [String]) -> [String] {
        var seen = Set<String>()
        return columns.map { name in
            var candidate = name
            var suffix = 2
            while seen.contains(candidate) {
                candidate = "\(name)_\(suffix)"
                suffix += 1
            }
            seen.insert(candidate)
            return candidate
        }
    }

    /// Writes the JSON text of one value, straight into the sink's buffer.
    static func write(_ value: QueryValue, to sink: OutputSink) throws {
        switch value {
        case .text(let original):
            var text = original
            try text.withUTF8 { bytes in
                let plain = !bytes.contains { $0 < 0x20 || $0 == UInt8(ascii: "\"") || $0 == UInt8(ascii: "\\") }
                if plain {
                    try sink.write(byte: UInt8(ascii: "\""))
                    try sink.write(bytes: bytes)
                    try sink.write(byte: UInt8(ascii: "\""))
                } else {
                    try sink.write(quoted(original))
                }
            }
        default:
            try sink.write(literal(value))
        }
    }

    /// The JSON text of one value.
    package static func literal(_ value: QueryValue) -> String {
        switch value {
        case .null: return "null"
        case .integer(let number): return String(number)
        case .real(let value): return number(value)
        case .text(let text): return quoted(text)
        case .blob(let bytes): return quoted(QueryValue.hexLiteral(bytes))
        }
    }

    /// A `Double` as a JSON number.
    package static func number(_ value: Double) -> String {
        if value.isNaN { return "null" }
        if value.isInfinite { return value > 0 ? "1e999" : "-1e999" }
        return value.description
    }

    /// A JSON string literal: quotes, backslashes and control characters escaped.
    package static func quoted(_ text: String) -> String {
        let plain = !text.utf8.contains { $0 < 0x20 || $0 == UInt8(ascii: "\"") || $0 == UInt8(ascii: "\\") }
        if plain { return "\"" + text + "\"" }
        var output = "\""
        output.reserveCapacity(text.utf8.count + 2)
        for scalar in text.unicodeScalars {
            switch scalar {
            case "\"": output += "\\\""
            case "\\": output += "\\\\"
            case "\n": output += "\\n"
            case "\r": output += "\\r"
            case "\t": output += "\\t"
            case "\u{08}": output += "\\b"
            case "\u{0C}": output += "\\f"
            default:
                if scalar.value < 0x20 {
                    let hex = String(scalar.value, radix: 16)
                    output += "\\u" + String(repeating: "0", count: 4 - hex.count) + hex
                } else {
                    output.unicodeScalars.append(scalar)
                }
            }
        }
        output += "\""
        return output
    }
}
