import GRDB

/// Rows of a compiled statement, readable more than once within the read transaction.
struct StatementRows: RowSource {
    let statement: Statement
    /// Values of the parameters `?1...`; parameters left out read as NULL, as in SQLite.
    var arguments: StatementArguments = []
    let path: String

    var columns: [String] { statement.columnNames }

    func forEachRow(_ body: ([QueryValue]) throws -> Void) throws {
        let count = statement.columnCount
        var values = [QueryValue](repeating: .null, count: count)
        // A new cursor resets the statement, so every call reads the rows again.
        let rows: RowCursor
        do {
            // Unchecked: user SQL may hold parameters nobody binds; SQLite reads them as NULL.
            statement.setUncheckedArguments(arguments)
            rows = try Row.fetchCursor(statement)
        } catch {
            throw QueryError.database(path: path, message: Self.message(of: error))
        }
        while true {
            let next: Row?
            do {
                next = try rows.next()
            } catch {
                // Only SQLite's failures are wrapped; errors of `body` (output) pass unchanged.
                throw QueryError.database(path: path, message: Self.message(of: error))
            }
            guard let row = next else { return }
            for index in 0..<count { values[index] = QueryValue(row[index] as DatabaseValue) }
            try body(values)
        }
    }

    static func message(of error: Error) -> String {
        (error as? DatabaseError)?.message ?? String(describing: error)
    }
}
