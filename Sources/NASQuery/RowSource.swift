/// Rows with named columns that a result format writes out.
///
/// `forEachRow` may be called more than once; each call reads the same rows again (the table
/// format measures column widths first when the result is large, instead of keeping it in
/// memory). The array passed to `body` is only valid during the call.
package protocol RowSource {
    /// Column names, in order.
    var columns: [String] { get }
    /// Calls `body` with every row, in order.
    func forEachRow(_ body: ([QueryValue]) throws -> Void) throws
}

/// Rows held in memory (small results, tests).
package struct RowArray: RowSource, Sendable {
    /// Column names, in output order.
    package var columns: [String]
    /// Rows of values, one per column.
    package var rows: [[QueryValue]]

    /// Creates a row source over rows held in memory.
    package init(columns: [String], rows: [[QueryValue]]) {
        self.columns = columns
        self.rows = rows
    }

    /// Passes each row to `body` in order.
    package func forEachRow(_ body: ([QueryValue]) throws -> Void) throws {
        for row in rows { try body(row) }
    }
}
