import GRDB

/// The rows of one statement run once per parameter value, one after another.
struct SearchByParameterRows: RowSource {
    let statement: Statement
    let parameters: [Int64]
    let path: String

    var columns: [String] { statement.columnNames }

    func forEachRow(_ body: ([QueryValue]) throws -> Void) throws {
        for parameter in parameters {
            try StatementRows(statement: statement, arguments: [parameter], path: path).forEachRow(body)
        }
    }
}
