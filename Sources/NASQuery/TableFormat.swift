/// Aligned columns for people: a header, a rule, one line per row, and a row count.
///
/// Nothing is truncated: every column is as wide as its widest value. Columns whose values are
/// all numbers (or NULL) are right-aligned, others left-aligned; reals show at most 12
/// significant digits (`QueryValue.displayText`: no float noise); NULL shows as `NULL`; line
/// breaks and tabs inside values show as `\n`, `\r` and `\t` so each row stays on one line. Up to
/// `bufferLimit` rows are kept in memory; a larger result is read twice (widths first, then the
/// lines) in the same snapshot, so memory stays bounded.
package enum TableFormat {
    /// Rows kept in memory before the format switches to two passes.
    package static let bufferLimit = 10_000

    /// Writes the rows to the sink as an aligned text table.
    package static func write(_ rows: some RowSource, to sink: OutputSink) throws {
        let header = rows.columns.map(escape)
        var widths = header.map(\.count)
        var numeric = [Bool](repeating: true, count: header.count)
        var buffered: [[String]] = []
        var count = 0
        try rows.forEachRow { values in
            let cells = values.map(text)
            for (index, value) in values.enumerated() {
                widths[index] = max(widths[index], cells[index].count)
                if case .text = value { numeric[index] = false }
                if case .blob = value { numeric[index] = false }
            }
            if count < bufferLimit { buffered.append(cells) } else if !buffered.isEmpty { buffered = [] }
            count += 1
        }
        let layout = Layout(widths: widths, rightAligned: numeric)
        try sink.write(layout.line(header))
        try sink.write(widths.map { String(repeating: "-", count: $0) }.joined(separator: "  ") + "\n")
        if count <= bufferLimit {
            for cells in buffered { try sink.write(layout.line(cells)) }
        } else {
            // The footer counts the lines printed: a query that is not deterministic (random())
            // may give the second pass other rows than the first.
            count = 0
            try rows.forEachRow { values in
                try sink.write(layout.line(values.map(text)))
                count += 1
            }
        }
        try sink.write("(\(count) row\(count == 1 ? "" : "s"))\n")
        try sink.flush()
    }

    private struct Layout {
        var widths: [Int]
        var rightAligned: [Bool]

        /// One line: cells padded to their column width, two spaces apart, no trailing spaces.
        func line(_ cells: [String]) -> String {
            var line = ""
            for (index, cell) in cells.enumerated() {
                let padding = String(repeating: " ", count: max(0, widths[index] - cell.count))
                if index > 0 { line += "  " }
                if rightAligned[index] {
                    line += padding + cell
                } else {
                    line += cell
                    if index < cells.count - 1 { line += padding }
                }
            }
            return line + "\n"
        }
    }

    private static func text(_ value: QueryValue) -> String {
        value.displayText.map(escape) ?? "NULL"
    }

    /// `text` with line breaks and tabs made visible.
    static func escape(_ text: String) -> String {
        guard text.unicodeScalars.contains(where: { $0 == "\n" || $0 == "\r" || $0 == "\t" }) else { return text }
        var output = ""
        for scalar in text.unicodeScalars {
            switch scalar {
            case "\n": output += "\\n"
            case "\r": output += "\\r"
            case "\t": output += "\\t"
            default: output.unicodeScalars.append(scalar)
            }
        }
        return output
    }
}
