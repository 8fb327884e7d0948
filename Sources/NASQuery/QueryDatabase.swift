import Foundation
import GRDB
import NASSpace
import NASStore

/// A read-only connection to a search database, for user SQL, Pareto fronts and exports.
///
/// The file is opened with `SQLITE_OPEN_READONLY`, the connection runs with
/// `PRAGMA query_only = ON`, and user SQL compiles under `QueryAuthorizer`, so no statement can
/// write, attach another file or load an extension. Reads run in one read transaction (a
/// consistent snapshot) and never block a search writing the same file in another process (WAL).
/// User SQL reads any SQLite file; `searches()` (hence Pareto fronts and exports) first checks
/// the file with `Store.checkReadable`, so "a layernas database" means what it means to `Store`.
///
/// ```swift
/// let database = try QueryDatabase(path: "runs/burger.db")
/// try database.run(sql: "SELECT arch, score FROM candidates", format: .csv, to: .standardOutput())
/// ```
package final class QueryDatabase: Sendable {
    /// The file path, as given.
    package let path: String
    private let queue: DatabaseQueue
    private let authorizer: QueryAuthorizer

    /// How long a read waits when SQLite reports the file busy (e.g. during a WAL recovery).
    package static let busyTimeout: TimeInterval = 30

    /// Opens `path` for reading. The file must exist and be an SQLite database.
    package init(path: String) throws(QueryError) {
        self.path = path
        guard FileManager.default.fileExists(atPath: path) else {
            throw QueryError.badRequest("\(path): no such database")
        }
        if let kind = FileKind.nonRegular(path) {
            throw QueryError.badRequest("\(path): is \(kind), not a database file")
        }
        let authorizer = QueryAuthorizer()
        self.authorizer = authorizer
        var configuration = Configuration()
        configuration.readonly = true
        configuration.busyMode = .timeout(Self.busyTimeout)
        configuration.label = "layernas.query"
        configuration.prepareDatabase { db in
            try db.execute(sql: "PRAGMA query_only = ON")
            authorizer.install(on: db.sqliteConnection)
        }
        do {
            queue = try DatabaseQueue(path: DatabasePath.readerLocation(path), configuration: configuration)
        } catch {
            throw Self.translate(error, path: path)
        }
    }

    deinit {
        try? queue.close()
    }

    /// Runs `work` in one read transaction (also for the dashboard's reads, `NASServe`).
    package func read<T>(_ work: (Database) throws -> T) throws(QueryError) -> T {
        do {
            return try queue.read(work)
        } catch {
            throw Self.translate(error, path: path)
        }
    }

    /// Compiles the user's `sql` (exactly one statement) under the authorizer and hands its rows to
    /// `consume`, which may read them more than once, all inside one read transaction.
    ///
    /// - Throws: `QueryError.refused` for anything that could change the database, the
    ///   connection or another file; `QueryError.invalidSQL` when the SQL does not compile or
    ///   holds more than one statement.
    package func withUserQuery<T>(sql: String, _ consume: (any RowSource) throws -> T) throws(QueryError) -> T {
        let path = self.path
        let authorizer = self.authorizer
        return try read { db in
            try authorizer.guarding {
                var statements: [Statement] = []
                do {
                    // GRDB's cursor compiles statement after statement; empty statements and
                    // comments yield none, as with SQLite's own prepare loop.
                    let cursor = try db.allStatements(sql: sql)
                    while let statement = try cursor.next() { statements.append(statement) }
                } catch let failure as DatabaseError {
                    if let refusal = authorizer.refusal {
                        throw QueryError.refused(path: path, reason: refusal)
                    }
                    throw QueryError.invalidSQL(path: path, message: Self.describe(failure, in: sql))
                }
                if let refusal = authorizer.refusal {
                    throw QueryError.refused(path: path, reason: refusal)
                }
                for statement in statements where !statement.isReadonly {
                    throw QueryError.refused(path: path, reason: "\(Self.excerpt(statement.sql)) is not a read-only statement")
                }
                guard let statement = statements.first else {
                    throw QueryError.invalidSQL(path: path, message: "no statement to run")
                }
                guard statements.count == 1 else {
                    throw QueryError.invalidSQL(path: path, message: "\(statements.count) statements given; query runs exactly one")
                }
                return try consume(StatementRows(statement: statement, path: path))
            }
        }
    }

    /// The compile error of user SQL, with the start of the statement that failed: GRDB reports
    /// the SQL from that statement on.
    static func describe(_ failure: DatabaseError, in sql: String) -> String {
        let rest = failure.sql ?? sql
        let trimmed = rest.trimmingCharacters(in: .whitespacesAndNewlines)
        return "\(failure.message ?? "\(failure.resultCode)") (in: \(excerpt(trimmed)))"
    }

    /// The first line of a statement, shortened to 60 characters, for messages.
    static func excerpt(_ sql: String) -> String {
        let line = sql.split(whereSeparator: \.isNewline).first.map(String.init) ?? sql
        let collapsed = line.trimmingCharacters(in: .whitespaces)
        return collapsed.count > 60 ? String(collapsed.prefix(57)) + "..." : collapsed
    }

    static func translate(_ error: Error, path: String) -> QueryError {
        if let queryError = error as? QueryError { return queryError }
        if let databaseError = error as? DatabaseError {
            let message = databaseError.message ?? "\(databaseError.resultCode)"
            switch databaseError.resultCode.primaryResultCode {
            case .SQLITE_NOTADB: return .cannotOpen(path: path, reason: "not an SQLite database")
            case .SQLITE_CANTOPEN, .SQLITE_PERM: return .cannotOpen(path: path, reason: message)
            default: return .database(path: path, message: message)
            }
        }
        return .database(path: path, message: String(describing: error))
    }
}
