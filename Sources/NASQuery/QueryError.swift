/// Everything that can go wrong in the query layer, as one line naming the file, field or value.
package enum QueryError: Error, Sendable, Equatable, CustomStringConvertible {
    /// The database file cannot be opened for reading.
    case cannotOpen(path: String, reason: String)
    /// The file is not a layernas database (needed by `pareto` and `export`).
    case notLayerNASDatabase(path: String)
    /// The user's SQL tried something a read-only query may not do.
    case refused(path: String, reason: String)
    /// The user's SQL does not compile (syntax error, unknown table or column, ...).
    case invalidSQL(path: String, message: String)
    /// A bad request: unknown search, bad objective, nothing to do.
    case badRequest(String)
    /// SQLite failed while reading.
    case database(path: String, message: String)
    /// Writing the output failed.
    case output(path: String, reason: String)

    /// Human-readable message for the error.
    package var description: String {
        switch self {
        case .cannotOpen(let path, let reason):
            return "\(path): cannot open for reading: \(reason)"
        case .notLayerNASDatabase(let path):
            return "\(path): not a layernas database (no layernas schema)"
        case .refused(let path, let reason):
            return "\(path): refused: \(reason); queries are read-only"
        case .invalidSQL(let path, let message):
            return "\(path): SQL error: \(message)"
        case .badRequest(let message):
            return message
        case .database(let path, let message):
            return "\(path): database error: \(message)"
        case .output(let path, let reason):
            return "\(path): cannot write output: \(reason)"
        }
    }

    /// True when the user gave a wrong file, SQL or option (exit 2); false for runtime failures.
    package var isBadInput: Bool {
        switch self {
        case .cannotOpen, .notLayerNASDatabase, .refused, .invalidSQL, .badRequest: return true
        case .database, .output: return false
        }
    }
}
