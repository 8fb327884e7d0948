/// How `query` and `export` print rows.
package enum ResultFormat: String, Sendable, CaseIterable {
    /// Aligned columns for people; nothing is truncated.
    case table
    /// RFC 4180 CSV with a header row.
    case csv
    /// One JSON array of objects.
    case json
    /// One JSON object per line (JSON Lines).
    case jsonl

    /// Writes `rows` to `sink` in this format; JSON writes the `booleans` columns as true/false
    /// (tables and CSV keep SQLite's 0/1).
    package func write(_ rows: some RowSource, to sink: OutputSink, booleans: Set<String> = []) throws {
        switch self {
        case .table: try TableFormat.write(rows, to: sink)
        case .csv: try CSVFormat.write(rows, to: sink)
        case .json: try JSONFormat.write(rows, to: sink, lines: false, booleans: booleans)
        case .jsonl: try JSONFormat.write(rows, to: sink, lines: true, booleans: booleans)
        }
    }
}
