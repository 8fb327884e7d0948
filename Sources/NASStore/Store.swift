import Foundation
import GRDB

/// A search database: an SQLite file in WAL mode whose schema comes from `migrations/`.
///
/// Opening one creates the file if needed and applies any migration it lacks, each in a
/// transaction; a file that is not SQLite, was not made by layernas, or was written by a newer
/// layernas is refused before anything is written. Every write method is one short transaction
/// with `synchronous=FULL`, so what it commits survives a crash or power loss; readers in other
/// processes are never blocked (WAL).
package struct Store: Sendable {
    /// The file path, as given.
    package let path: String
    let writer: DatabasePool

    /// How long a statement waits for another process's write lock before failing.
    package static let busyTimeout: TimeInterval = 30

    /// Opens (creating and migrating when needed) the database at `path`.
    ///
    /// With `readOnly`, the file must exist and be up to date; nothing is ever written, and
    /// readers never wait for a running search (WAL).
    package init(path: String, readOnly: Bool = false) throws(StoreError) {
        self.path = path
        try DatabasePath.checkKind(path)
        if readOnly {
            try Self.checkReadable(path: path)
            var configuration = Configuration()
            configuration.readonly = true
            configuration.busyMode = .timeout(Self.busyTimeout)
            do {
                writer = try DatabasePool(path: DatabasePath.readerLocation(path), configuration: configuration)
            } catch {
                throw Self.translate(error, path: path)
            }
            return
        }
        try Self.checkHeader(path: path)
        try Self.checkOwnershipAndVersion(path: path)
        var configuration = Configuration()
        configuration.busyMode = .timeout(Self.busyTimeout)
        configuration.foreignKeysEnabled = true
        configuration.prepareDatabase { db in
            try db.execute(sql: "PRAGMA synchronous = FULL")
        }
        do {
            writer = try DatabasePool(path: DatabasePath.literal(path), configuration: configuration)
        } catch {
            throw Self.translate(error, path: path)
        }
        do {
            // GRDB switches WAL connections to synchronous=NORMAL after `prepareDatabase`; results
            // must survive power loss, so the one writer connection goes back to FULL here.
            try writer.writeWithoutTransaction { db in try db.execute(sql: "PRAGMA synchronous = FULL") }
            try Schema.migrator.migrate(writer)
        } catch {
            throw Self.translate(error, path: path)
        }
    }

    /// Identifiers of the migrations applied to this file.
    package func appliedMigrations() throws(StoreError) -> [String] {
        try read { db in try Schema.migrator.appliedMigrations(db) }
    }

    /// Runs `work` in a read transaction (a consistent snapshot).
    func read<T: Sendable>(_ work: @Sendable (Database) throws -> T) throws(StoreError) -> T {
        do {
            return try writer.read(work)
        } catch {
            throw Self.translate(error, path: path)
        }
    }

    /// Runs `work` in one immediate write transaction.
    func write<T: Sendable>(_ work: @Sendable (Database) throws -> T) throws(StoreError) -> T {
        do {
            return try writer.write(work)
        } catch {
            throw Self.translate(error, path: path)
        }
    }

    /// Refuses, without writing anything, a file that cannot be read as an up-to-date layernas
    /// database: missing, not SQLite, not made by layernas, from a newer layernas, or with an
    /// older schema. Every reader (`Store(readOnly:)`, the query layer) checks files with it.
    package static func checkReadable(path: String) throws(StoreError) {
        try DatabasePath.checkKind(path)
        try checkHeader(path: path)
        guard FileManager.default.fileExists(atPath: path) else {
            throw StoreError.missing(path: path)
        }
        let applied = try checkOwnershipAndVersion(path: path)
        guard applied == Schema.migrationIdentifiers else {
            throw StoreError.conflict(path: path, message: "the database uses an older schema; run 'layernas init \(path)' to upgrade it")
        }
    }

    /// Refuses, before SQLite touches it, a non-empty file without the SQLite header.
    private static func checkHeader(path: String) throws(StoreError) {
        guard let handle = FileHandle(forReadingAtPath: path) else { return }
        defer { try? handle.close() }
        let header = (try? handle.read(upToCount: 16)) ?? Data()
        if !header.isEmpty && header != Data("SQLite format 3\u{0}".utf8) {
            throw StoreError.notADatabase(path: path)
        }
    }

    /// Refuses foreign SQLite files and files from a newer layernas through a read-only
    /// connection, so a refused file is left byte-for-byte unchanged.
    /// Returns the migrations applied to the file (none for a new or empty file).
    @discardableResult
    private static func checkOwnershipAndVersion(path: String) throws(StoreError) -> [String] {
        let size = (try? FileManager.default.attributesOfItem(atPath: path)[.size] as? Int) ?? 0
        guard size > 0 else { return [] }
        var configuration = Configuration()
        configuration.readonly = true
        configuration.busyMode = .timeout(busyTimeout)
        let facts: (applicationID: Int32, tables: Int, applied: [String])
        do {
            let queue = try DatabaseQueue(path: DatabasePath.readerLocation(path), configuration: configuration)
            facts = try queue.read { db in
                let applicationID = try Int32.fetchOne(db, sql: "PRAGMA application_id") ?? 0
                // GRDB creates its own bookkeeping table before the first migration commits, so a
                // process killed in between leaves a file with only that table: still ours.
                let tables = try Int.fetchOne(db, sql: """
                    SELECT count(*) FROM sqlite_master
                    WHERE type = 'table' AND name NOT LIKE 'grdb\\_%' ESCAPE '\\' AND name NOT LIKE 'sqlite\\_%' ESCAPE '\\'
                    """) ?? 0
                let applied = try db.tableExists("grdb_migrations")
                    ? try String.fetchAll(db, sql: "SELECT identifier FROM grdb_migrations") : []
                return (applicationID, tables, applied)
            }
            try queue.close()
        } catch {
            throw translate(error, path: path)
        }
        if facts.tables > 0 && facts.applicationID != Schema.applicationID {
            throw StoreError.notLayerNASDatabase(path: path)
        }
        let known = Set(Schema.migrationIdentifiers)
        let unknown = facts.applied.filter { !known.contains($0) }.sorted()
        if !unknown.isEmpty {
            throw StoreError.newerVersion(path: path, unknown: unknown, latestKnown: Schema.migrationIdentifiers.last ?? "none")
        }
        return facts.applied
    }

    static func translate(_ error: Error, path: String) -> StoreError {
        if let storeError = error as? StoreError { return storeError }
        if let databaseError = error as? DatabaseError {
            switch databaseError.resultCode {
            case .SQLITE_NOTADB: return .notADatabase(path: path)
            case .SQLITE_CORRUPT: return .damaged(path: path, detail: databaseError.message ?? "malformed")
            case .SQLITE_FULL: return .diskFull(path: path)
            case .SQLITE_BUSY, .SQLITE_LOCKED:
                return .database(path: path, message: "another process held a lock on the database for over \(Int(busyTimeout)) s (an sqlite3 shell or tool with an open write transaction?); nothing committed is lost: end that transaction and run the same command again")
            case .SQLITE_CANTOPEN, .SQLITE_READONLY, .SQLITE_PERM, .SQLITE_AUTH:
                return .cannotOpen(path: path, reason: databaseError.message ?? "\(databaseError.resultCode)")
            default:
                return .database(path: path, message: databaseError.message ?? "\(databaseError.resultCode)")
            }
        }
        return .database(path: path, message: String(describing: error))
    }
}
