/// Rows with named columns that a result format writes out.
///
/// `forEachRow` may be called more than once; each call reads the same rows again (the table
/// format measures column widths first when the result is large, instead of keeping it in
/// memory). The array passed to `body` is only valid during the call.
public protocol RowSource {
    /// Column names, in order.
    var columns: [String] { get }
    /// Calls `body` with every row, in order.
    func forEachRow(_ body: ([QueryValue]) throws -> Void) throws
}

/// Rows held in memory (small results, tests).
public struct RowArray: RowSource, Sendable {
    public var columns: [String]
    public var rows: [[QueryValue]]

    public init(columns: [String], rows: [[QueryValue]]) {
        self.columns = columns
        self.rows = rows
    }

    public func forEachRow(_ body: ([QueryValue]) throws -> Void) throws {
        for row in rows { try body(row) }
    }
}
