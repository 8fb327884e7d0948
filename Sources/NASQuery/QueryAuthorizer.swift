internal import GRDBSQLite
import Synchronization

/// The SQLite authorizer of a query connection: while user SQL compiles, it allows reading and
/// refuses every action that could change a file or the connection.
///
/// Refused: INSERT, UPDATE, DELETE, CREATE and DROP of anything (temporary objects included),
/// ALTER, ATTACH and DETACH (hence `VACUUM INTO`), REINDEX, ANALYZE, transaction control,
/// `load_extension()`, and every PRAGMA that is not on the read-only list below (a PRAGMA with a
/// value assigns it). The connection is also opened read-only with `PRAGMA query_only = ON`,
/// and a statement SQLite does not report as read-only is refused (`sqlite3_stmt_readonly`),
/// so each layer alone stops a write.
///
/// SQLite calls the authorizer while it compiles a statement
/// (<https://www.sqlite.org/c3ref/set_authorizer.html>). The connection's own statements (GRDB's
/// BEGIN and COMMIT of the read transaction, layernas's reads) compile with the guard off.
final class QueryAuthorizer: Sendable {
    private struct State {
        var isGuarding = false
        var refusal: String?
        /// A refusal of a write to the schema table, reported when nothing more specific is
        /// (CREATE and DROP also write `sqlite_master`, and SQLite may report that first).
        var schemaRefusal: String?
    }

    private let state = Mutex(State())

    /// Installs this authorizer on `connection`, replacing GRDB's (the query connection has no
    /// transaction observers, which is what GRDB's authorizer serves).
    func install(on connection: OpaquePointer?) {
        let context = Unmanaged.passUnretained(self).toOpaque()
        sqlite3_set_authorizer(connection, { context, action, first, second, third, fourth in
            guard let context else { return SQLITE_DENY }
            let authorizer = Unmanaged<QueryAuthorizer>.fromOpaque(context).takeUnretainedValue()
            return authorizer.authorize(action, first, second, third, fourth)
        }, context)
    }

    /// Runs `work` with the guard on; `refusal` then tells what was refused while it ran.
    func guarding<T>(_ work: () throws -> T) rethrows -> T {
        state.withLock { $0 = State(isGuarding: true, refusal: nil) }
        defer { state.withLock { $0.isGuarding = false } }
        return try work()
    }

    /// The first action refused since the guard went on, as a phrase ("INSERT into candidates").
    /// A statement that compiled is refused too when this is set (a write to the schema table).
    var refusal: String? { state.withLock { $0.refusal ?? $0.schemaRefusal } }

    private func authorize(
        _ action: Int32, _ first: UnsafePointer<CChar>?, _ second: UnsafePointer<CChar>?,
        _ third: UnsafePointer<CChar>?, _ fourth: UnsafePointer<CChar>?
    ) -> Int32 {
        guard state.withLock({ $0.isGuarding }) else { return SQLITE_OK }
        let decision = Self.decide(action: action, first.map { String(cString: $0) }, second.map { String(cString: $0) })
        switch decision {
        case .allow:
            return SQLITE_OK
        case .deny(let reason):
            let isSchemaTable = Self.schemaTables.contains(first.map { String(cString: $0).lowercased() } ?? "")
                && [SQLITE_INSERT, SQLITE_UPDATE, SQLITE_DELETE].contains(action)
            if isSchemaTable {
                // CREATE, DROP and ANALYZE write the schema table before SQLite reports what they
                // are: note it, let the compile go on to name the real action, and refuse the
                // statement after compiling in any case.
                state.withLock { if $0.schemaRefusal == nil { $0.schemaRefusal = reason } }
                return SQLITE_OK
            }
            state.withLock { if $0.refusal == nil { $0.refusal = reason } }
            return SQLITE_DENY
        }
    }

    /// What the authorizer does with one action.
    enum Decision: Equatable {
        case allow
        case deny(String)
    }

    /// The policy, as a pure function of SQLite's action code and its first two arguments.
    static func decide(action: Int32, _ first: String?, _ second: String?) -> Decision {
        let name = first ?? ""
        switch action {
        case SQLITE_SELECT, SQLITE_READ, SQLITE_RECURSIVE:
            return .allow
        case SQLITE_FUNCTION:
            let function = (second ?? "").lowercased()
            if function == "load_extension" { return .deny("load_extension() loads native code") }
            return pureFunctions.contains(function) ? .allow : .deny("function \(second ?? "?")() is not on the list of pure SQL functions")
        case SQLITE_PRAGMA:
            return decidePragma(name.lowercased(), argument: second)
        case SQLITE_UPDATE where schemaTables.contains(name.lowercased()):
            // SQLite reports these while it prepares table-valued functions such as json_each();
            // a real UPDATE of the schema table is not read-only and is refused after compiling.
            return .allow
        case SQLITE_INSERT: return .deny("INSERT into \(name)")
        case SQLITE_UPDATE: return .deny("UPDATE of \(name)")
        case SQLITE_DELETE: return .deny("DELETE from \(name)")
        case SQLITE_CREATE_TABLE: return .deny("CREATE TABLE \(name)")
        case SQLITE_CREATE_INDEX: return .deny("CREATE INDEX \(name)")
        case SQLITE_CREATE_VIEW: return .deny("CREATE VIEW \(name)")
        case SQLITE_CREATE_TRIGGER: return .deny("CREATE TRIGGER \(name)")
        case SQLITE_CREATE_TEMP_TABLE: return .deny("CREATE TEMP TABLE \(name)")
        case SQLITE_CREATE_TEMP_INDEX: return .deny("CREATE TEMP INDEX \(name)")
        case SQLITE_CREATE_TEMP_VIEW: return .deny("CREATE TEMP VIEW \(name)")
        case SQLITE_CREATE_TEMP_TRIGGER: return .deny("CREATE TEMP TRIGGER \(name)")
        case SQLITE_CREATE_VTABLE: return .deny("CREATE VIRTUAL TABLE \(name)")
        case SQLITE_DROP_TABLE, SQLITE_DROP_TEMP_TABLE: return .deny("DROP TABLE \(name)")
        case SQLITE_DROP_INDEX, SQLITE_DROP_TEMP_INDEX: return .deny("DROP INDEX \(name)")
        case SQLITE_DROP_VIEW, SQLITE_DROP_TEMP_VIEW: return .deny("DROP VIEW \(name)")
        case SQLITE_DROP_TRIGGER, SQLITE_DROP_TEMP_TRIGGER: return .deny("DROP TRIGGER \(name)")
        case SQLITE_DROP_VTABLE: return .deny("DROP VIRTUAL TABLE \(name)")
        case SQLITE_ALTER_TABLE: return .deny("ALTER TABLE \(second ?? name)")
        case SQLITE_ATTACH: return .deny(name.isEmpty ? "VACUUM" : "ATTACH (or VACUUM INTO) of '\(name)'")
        case SQLITE_DETACH: return .deny("DETACH \(name)")
        case SQLITE_REINDEX: return .deny("REINDEX")
        case SQLITE_ANALYZE: return .deny("ANALYZE")
        case SQLITE_TRANSACTION:
            return .deny("transaction control (\(name.isEmpty ? "BEGIN" : name)); the query runs in one read transaction")
        case SQLITE_SAVEPOINT:
            let statement = name == "RELEASE" ? "RELEASE" : name == "ROLLBACK" ? "ROLLBACK TO" : "SAVEPOINT"
            return .deny("transaction control (\(statement) \(second ?? "")); the query runs in one read transaction")
        default:
            return .deny("SQLite action \(action)")
        }
    }

    /// SQLite's built-in functions that only compute a value (core, date and time, math, JSON,
    /// aggregate and window functions). Anything else is refused: `fts3_tokenizer()` returns heap
    /// pointers, and a function not listed here has not been reviewed.
    static let pureFunctions: Set<String> = [
        // core scalar functions
        "abs", "changes", "char", "coalesce", "concat", "concat_ws", "format", "glob", "hex", "ifnull",
        "iif", "instr", "last_insert_rowid", "length", "like", "likelihood", "likely", "lower", "ltrim",
        "max", "min", "nullif", "octet_length", "printf", "quote", "random", "randomblob", "replace",
        "round", "rtrim", "sign", "soundex", "sqlite_compileoption_get", "sqlite_compileoption_used",
        "sqlite_offset", "sqlite_source_id", "sqlite_version", "substr", "substring", "total_changes",
        "trim", "typeof", "unhex", "unicode", "unistr", "unlikely", "upper", "zeroblob",
        // date and time
        "date", "time", "datetime", "julianday", "unixepoch", "strftime", "timediff",
        // aggregates
        "avg", "count", "group_concat", "string_agg", "sum", "total",
        // window functions
        "row_number", "rank", "dense_rank", "percent_rank", "cume_dist", "ntile", "lag", "lead",
        "first_value", "last_value", "nth_value",
        // math
        "acos", "acosh", "asin", "asinh", "atan", "atan2", "atanh", "ceil", "ceiling", "cos", "cosh",
        "degrees", "exp", "floor", "ln", "log", "log10", "log2", "mod", "pi", "pow", "power", "radians",
        "sin", "sinh", "sqrt", "tan", "tanh", "trunc",
        // JSON (`->` and `->>` are functions too)
        "json", "jsonb", "json_array", "jsonb_array", "json_array_length", "json_error_position",
        "json_extract", "jsonb_extract", "->", "->>", "json_insert", "jsonb_insert", "json_object",
        "jsonb_object", "json_patch", "jsonb_patch", "json_pretty", "json_remove", "jsonb_remove",
        "json_replace", "jsonb_replace", "json_set", "jsonb_set", "json_type", "json_valid", "json_quote",
        "json_group_array", "jsonb_group_array", "json_group_object", "jsonb_group_object",
        "json_each", "json_tree",
    ]

    static let schemaTables: Set<String> = ["sqlite_master", "sqlite_temp_master", "sqlite_schema", "sqlite_temp_schema"]

    /// PRAGMAs that only read, and may take an argument naming what to read.
    static let readingPragmasWithArgument: Set<String> = [
        "table_info", "table_xinfo", "table_list", "index_list", "index_info", "index_xinfo",
        "foreign_key_list", "foreign_key_check", "integrity_check", "quick_check",
    ]

    /// PRAGMAs that report a setting; with a value they would change it, so only their bare
    /// form is allowed.
    static let readingPragmas: Set<String> = [
        "application_id", "user_version", "schema_version", "data_version", "page_count", "page_size",
        "freelist_count", "max_page_count", "journal_mode", "encoding", "foreign_keys", "query_only",
        "auto_vacuum", "cache_size", "synchronous", "busy_timeout", "temp_store", "recursive_triggers",
        "secure_delete", "locking_mode", "mmap_size", "database_list", "collation_list", "function_list",
        "module_list", "pragma_list", "compile_options", "cell_size_check", "defer_foreign_keys",
        "ignore_check_constraints", "legacy_alter_table", "reverse_unordered_selects", "soft_heap_limit",
        "hard_heap_limit", "threads", "trusted_schema", "wal_autocheckpoint", "automatic_index",
    ]

    static func decidePragma(_ pragma: String, argument: String?) -> Decision {
        if readingPragmasWithArgument.contains(pragma) { return .allow }
        if readingPragmas.contains(pragma) {
            guard let argument else { return .allow }
            return .deny("PRAGMA \(pragma) = \(argument) changes a setting")
        }
        return .deny("PRAGMA \(pragma) is not a read-only PRAGMA")
    }
}
