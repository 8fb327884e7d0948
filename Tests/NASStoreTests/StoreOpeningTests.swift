import Foundation
import NASTestSupport
import GRDB
import NASSpace
import Testing
@testable import NASStore

@Suite struct StoreOpeningTests {
    static let tables = ["candidates", "epochs", "events", "families", "layers", "memberships", "options", "retrainings", "search_deletions", "searches", "steps", "strategies"]

    @Test func freshDatabaseHasEveryTableAndRecordsItsVersion() throws {
        let directory = try TemporaryDirectory()
        let store = try Store(path: directory.path("search.db"))
        let tables = try store.read { db in
            try String.fetchAll(db, sql: "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'grdb%' ORDER BY name")
        }
        #expect(tables == Self.tables)
        #expect(try store.appliedMigrations() == Schema.migrationIdentifiers)
        let applicationID = try store.read { db in try Int32.fetchOne(db, sql: "PRAGMA application_id") }
        #expect(applicationID == Schema.applicationID)
    }

    @Test func theFamiliesTableNamesEveryFamilyTheSpaceKnows() throws {
        // `searches.family` references `families` (migration 0008): a family added to SpaceFamily
        // needs its row in a new migration, or its searches cannot be stored.
        let directory = try TemporaryDirectory()
        let store = try Store(path: directory.path("search.db"))
        let names = try store.read { db in try String.fetchAll(db, sql: "SELECT name FROM families ORDER BY name") }
        #expect(names == SpaceFamily.allCases.map(\.rawValue).sorted())
    }

    @Test func connectionsUseWALFullSyncAndForeignKeys() throws {
        let directory = try TemporaryDirectory()
        let store = try Store(path: directory.path("search.db"))
        let settings = try store.write { db in
            (
                try String.fetchOne(db, sql: "PRAGMA journal_mode"),
                try Int.fetchOne(db, sql: "PRAGMA synchronous"),
                try Int.fetchOne(db, sql: "PRAGMA foreign_keys")
            )
        }
        #expect(settings.0 == "wal")
        #expect(settings.1 == 2)  // FULL
        #expect(settings.2 == 1)
    }

    /// Everything a user or a resumed search can see: schema, migrations and rows.
    private func snapshot(_ store: Store) throws -> [String] {
        try store.read { db in
            var lines = try String.fetchAll(db, sql: "SELECT type || ' ' || name || ' ' || ifnull(sql, '') FROM sqlite_master ORDER BY name")
            lines += try String.fetchAll(db, sql: "SELECT identifier FROM grdb_migrations")
            for table in Self.tables {
                lines.append("\(table): \(try Int.fetchOne(db, sql: "SELECT count(*) FROM \(table)") ?? -1)")
            }
            lines.append("application_id \(try Int32.fetchOne(db, sql: "PRAGMA application_id") ?? 0)")
            return lines
        }
    }

    @Test func openingAgainChangesNothing() throws {
        let directory = try TemporaryDirectory()
        let path = directory.path("search.db")
        let before = try snapshot(try Store(path: path))
        let after = try snapshot(try Store(path: path))
        #expect(after == before)
        #expect(before.contains { $0.hasPrefix("table candidates") })
    }

    @Test func databaseFromANewerVersionIsRefusedUnchanged() throws {
        let directory = try TemporaryDirectory()
        let path = directory.path("search.db")
        do {
            let store = try Store(path: path)
            try store.write { db in try db.execute(sql: "INSERT INTO grdb_migrations (identifier) VALUES ('9999_from_the_future')") }
        }
        let before = try #require(fileBytes(path))
        #expect(throws: StoreError.newerVersion(path: path, unknown: ["9999_from_the_future"], latestKnown: Schema.migrationIdentifiers.last!)) {
            try Store(path: path)
        }
        #expect(fileBytes(path) == before)
    }

    @Test func fileThatIsNotSQLiteIsRefusedUnchanged() throws {
        let directory = try TemporaryDirectory()
        let path = directory.path("notes.db")
        let content = Data("these are my notes, not a database\n".utf8)
        try content.write(to: URL(fileURLWithPath: path))
        #expect(throws: StoreError.notADatabase(path: path)) { try Store(path: path) }
        #expect(fileBytes(path) == content)
        #expect(!FileManager.default.fileExists(atPath: path + "-wal"))
    }

    @Test func foreignSQLiteDatabaseIsRefused() throws {
        let directory = try TemporaryDirectory()
        let path = directory.path("other.db")
        do {
            let queue = try DatabaseQueue(path: path)
            try queue.write { db in try db.execute(sql: "CREATE TABLE invoices (id INTEGER PRIMARY KEY)") }
        }
        #expect(throws: StoreError.notLayerNASDatabase(path: path)) { try Store(path: path) }
    }

    @Test func fileLeftByAKillDuringTheFirstMigrationIsCompleted() throws {
        // GRDB creates its bookkeeping table before migration 0001 commits; a process killed in
        // between leaves only that table, and the next open must finish the job.
        let directory = try TemporaryDirectory()
        let path = directory.path("search.db")
        do {
            let queue = try DatabaseQueue(path: path)
            try queue.write { db in try db.execute(sql: "CREATE TABLE grdb_migrations (identifier TEXT NOT NULL PRIMARY KEY)") }
        }
        let store = try Store(path: path)
        #expect(try store.appliedMigrations() == Schema.migrationIdentifiers)
    }

    @Test func missingFolderIsAClearError() {
        #expect(throws: StoreError.self) { try Store(path: "/nonexistent-folder/x/search.db") }
    }
}
