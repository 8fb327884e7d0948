/// Everything that can go wrong with a search database, as one line naming the file.
package enum StoreError: Error, Sendable, Equatable, CustomStringConvertible {
    /// The file exists but is not an SQLite database.
    case notADatabase(path: String)
    /// Nothing exists at the path a reading command was given (a typo, the wrong folder).
    case missing(path: String)
    /// The path names a FIFO, a device, a directory or a socket: never a database.
    case notAFile(path: String, kind: String)
    /// An SQLite database that layernas did not create.
    case notLayerNASDatabase(path: String)
    /// Written by a newer layernas: it has migrations this binary does not know.
    case newerVersion(path: String, unknown: [String], latestKnown: String)
    /// The file or its folder cannot be opened or created.
    case cannotOpen(path: String, reason: String)
    /// A stored search and the request disagree (different space or settings, unknown name).
    case conflict(path: String, message: String)
    /// The file is an SQLite database but damaged (truncated, overwritten).
    case damaged(path: String, detail: String)
    /// The disk holding the database is full; what was committed is intact.
    case diskFull(path: String)
    /// An SQLite failure while working.
    case database(path: String, message: String)

    /// Human-readable message for the error.
    package var description: String {
        switch self {
        case .notADatabase(let path):
            return "\(path): not an SQLite database"
        case .missing(let path):
            return "\(path): no such database"
        case .notAFile(let path, let kind):
            return "\(path): is \(kind), not a database file"
        case .notLayerNASDatabase(let path):
            return "\(path): an SQLite database that layernas did not create (no layernas schema); choose another file"
        case .newerVersion(let path, let unknown, let latestKnown):
            return "\(path): written by a newer layernas (schema \(unknown.joined(separator: ", ")); this binary knows up to \(latestKnown)); upgrade layernas, the file was not changed"
        case .cannotOpen(let path, let reason):
            return "\(path): cannot open: \(reason)"
        case .conflict(let path, let message):
            return "\(path): \(message)"
        case .damaged(let path, let detail):
            return "\(path): the database file is damaged (\(detail)); restore it from a copy or start a new file"
        case .diskFull(let path):
            return "\(path): the disk is full; free some space and run the same command again to resume (nothing committed is lost)"
        case .database(let path, let message):
            return "\(path): database error: \(message)"
        }
    }

    /// True when the user gave a wrong file or request (exit 2), false for runtime failures.
    package var isBadInput: Bool {
        switch self {
        case .notADatabase, .missing, .notAFile, .notLayerNASDatabase, .newerVersion, .conflict, .damaged: return true
        case .cannotOpen, .database, .diskFull: return false
        }
    }
}
