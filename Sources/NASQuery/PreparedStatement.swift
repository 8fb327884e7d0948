internal import GRDBSQLite

/// One compiled SQLite statement on a query connection, stepped by hand so rows stream
/// without being collected. Lives only inside a read closure; finalized on release.
final class PreparedStatement {
    private let handle: OpaquePointer
    private let connection: OpaquePointer
    /// The statement's text, as SQLite kept it.
    let sql: String
    /// Result column names (duplicates possible, as SQLite gives them).
    let columns: [String]

    private init(handle: OpaquePointer, connection: OpaquePointer) {
        self.handle = handle
        self.connection = connection
        sql = sqlite3_sql(handle).map { String(cString: $0) } ?? ""
        columns = (0..<sqlite3_column_count(handle)).map { index in
            sqlite3_column_name(handle, index).map { String(cString: $0) } ?? "column\(index + 1)"
        }
    }

    deinit { sqlite3_finalize(handle) }

    /// Compiles every statement of `sql`, in order; comments and empty statements are skipped.
    /// - Throws: the SQLite message of the first statement that does not compile, with the
    ///   offset of that statement in `sql`.
    static func compileAll(_ sql: String, connection: OpaquePointer) throws(PrepareFailure) -> [PreparedStatement] {
        let text = Array(sql.utf8CString)
        var statements: [PreparedStatement] = []
        var failure: PrepareFailure?
        text.withUnsafeBufferPointer { buffer in
            guard let base = buffer.baseAddress else { return }
            var offset = 0
            let length = buffer.count - 1 // without the terminating NUL
            while offset < length {
                var handle: OpaquePointer?
                var tail: UnsafePointer<CChar>?
                let code = sqlite3_prepare_v2(connection, base + offset, Int32(length - offset), &handle, &tail)
                guard code == SQLITE_OK else {
                    sqlite3_finalize(handle)
                    failure = PrepareFailure(code: code, message: String(cString: sqlite3_errmsg(connection)), offset: offset)
                    return
                }
                let next = tail.map { $0 - base } ?? length
                if let handle {
                    statements.append(PreparedStatement(handle: handle, connection: connection))
                }
                guard next > offset else { break }
                offset = next
            }
        }
        if let failure { throw failure }
        return statements
    }

    /// Compiles exactly one statement (layernas's own SQL).
    static func compile(_ sql: String, connection: OpaquePointer) throws(PrepareFailure) -> PreparedStatement {
        let statements = try compileAll(sql, connection: connection)
        guard statements.count == 1, let statement = statements.first else {
            throw PrepareFailure(code: SQLITE_MISUSE, message: "expected one statement, got \(statements.count)", offset: 0)
        }
        return statement
    }

    /// True when SQLite reports the statement cannot change the database file.
    var isReadOnly: Bool { sqlite3_stmt_readonly(handle) != 0 }

    /// Binds `values` to the parameters `?1...`.
    func bind(_ values: [QueryValue]) {
        for (index, value) in values.enumerated() {
            let position = Int32(index + 1)
            switch value {
            case .null: sqlite3_bind_null(handle, position)
            case .integer(let number): sqlite3_bind_int64(handle, position, number)
            case .real(let number): sqlite3_bind_double(handle, position, number)
            case .text(let string): sqlite3_bind_text(handle, position, string, -1, Self.transient)
            case .blob(let bytes):
                bytes.withUnsafeBytes { raw in
                    _ = sqlite3_bind_blob(handle, position, raw.baseAddress, Int32(raw.count), Self.transient)
                }
            }
        }
    }

    private static let transient = unsafeBitCast(OpaquePointer(bitPattern: -1), to: sqlite3_destructor_type.self)

    /// Advances to the next row; false when there are no more.
    func step() throws(StepFailure) -> Bool {
        let code = sqlite3_step(handle)
        switch code {
        case SQLITE_ROW: return true
        case SQLITE_DONE: return false
        default: throw StepFailure(code: code, message: String(cString: sqlite3_errmsg(connection)))
        }
    }

    /// Rewinds the statement so it runs again (same snapshot inside a read transaction).
    func reset() { sqlite3_reset(handle) }

    /// The value of column `index` of the current row.
    func value(at index: Int32) -> QueryValue {
        switch sqlite3_column_type(handle, index) {
        case SQLITE_NULL:
            return .null
        case SQLITE_INTEGER:
            return .integer(sqlite3_column_int64(handle, index))
        case SQLITE_FLOAT:
            return .real(sqlite3_column_double(handle, index))
        case SQLITE_BLOB:
            let count = Int(sqlite3_column_bytes(handle, index))
            guard count > 0, let pointer = sqlite3_column_blob(handle, index) else { return .blob([]) }
            return .blob(Array(UnsafeRawBufferPointer(start: pointer, count: count)))
        default:
            return .text(text(at: index) ?? "")
        }
    }

    /// Column `index` as a `Double`, nil for NULL or non-numeric values.
    func double(at index: Int32) -> Double? {
        switch sqlite3_column_type(handle, index) {
        case SQLITE_INTEGER, SQLITE_FLOAT: return sqlite3_column_double(handle, index)
        default: return nil
        }
    }

    /// Column `index` as an `Int64` (SQLite's conversion rules).
    func int64(at index: Int32) -> Int64 { sqlite3_column_int64(handle, index) }

    /// Column `index` as text, nil for NULL.
    func text(at index: Int32) -> String? {
        guard let pointer = sqlite3_column_text(handle, index) else { return nil }
        let count = Int(sqlite3_column_bytes(handle, index))
        return String(decoding: UnsafeBufferPointer(start: pointer, count: count), as: UTF8.self)
    }
}

/// SQLite refused to compile a statement.
struct PrepareFailure: Error {
    var code: Int32
    var message: String
    /// Offset (UTF-8 bytes) of the failing statement in the SQL text.
    var offset: Int
    var isAuthorizationFailure: Bool { code == SQLITE_AUTH }
}

/// SQLite failed while running a statement.
struct StepFailure: Error {
    var code: Int32
    var message: String
    var isInterrupted: Bool { code == SQLITE_INTERRUPT }
}

extension PrepareFailure: CustomStringConvertible {
    var description: String { message }
}

extension StepFailure: CustomStringConvertible {
    var description: String { message }
}
