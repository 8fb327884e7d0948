/// CSV as RFC 4180 specifies it: a header row, CRLF line ends, and a field in double quotes
/// when it holds a comma, a double quote, CR or LF (a double quote doubled inside).
///
/// NULL is an empty field; reals use the shortest text that reads back to the same value; blobs
/// are SQL hex literals (`x'00ff'`).
package enum CSVFormat {
    /// Writes a header and every row.
    package static func write(_ rows: some RowSource, to sink: OutputSink) throws {
        for (index, column) in rows.columns.enumerated() {
            if index > 0 { try sink.write(byte: UInt8(ascii: ",")) }
            try writeField(column, to: sink)
        }
        try sink.write(bytes: [0x0D, 0x0A])
        try rows.forEachRow { values in
            for (index, value) in values.enumerated() {
                if index > 0 { try sink.write(byte: UInt8(ascii: ",")) }
                if let text = value.plainText { try writeField(text, to: sink) }
            }
            try sink.write(bytes: [0x0D, 0x0A])
        }
        try sink.flush()
    }

    /// Writes one field, in double quotes (inner quotes doubled) when it needs them.
    static func writeField(_ field: String, to sink: OutputSink) throws {
        var field = field
        try field.withUTF8 { bytes in
            let needsQuotes = bytes.contains { byte in
                byte == UInt8(ascii: ",") || byte == UInt8(ascii: "\"") || byte == 0x0A || byte == 0x0D
            }
            guard needsQuotes else {
                try sink.write(bytes: bytes)
                return
            }
            try sink.write(byte: UInt8(ascii: "\""))
            var start = 0
            for (index, byte) in bytes.enumerated() where byte == UInt8(ascii: "\"") {
                try sink.write(bytes: bytes[start...index])  // up to and with the quote
                try sink.write(byte: UInt8(ascii: "\""))      // doubled
                start = index + 1
            }
            try sink.write(bytes: bytes[start...])
            try sink.write(byte: UInt8(ascii: "\""))
        }
    }

    /// `field` as a CSV field: unchanged, or in double quotes when it needs them.
    package static func quoted(_ field: String) -> String {
        let needsQuotes = field.utf8.contains { byte in
            byte == UInt8(ascii: ",") || byte == UInt8(ascii: "\"") || byte == 0x0A || byte == 0x0D
        }
        guard needsQuotes else { return field }
        var output = "\""
        for character in field.unicodeScalars {
            if character == "\"" { output += "\"" }
            output.unicodeScalars.append(character)
        }
        return output + "\""
    }
}
