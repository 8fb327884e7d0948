import Foundation
import NASTestSupport
import GRDB
import Testing
@testable import NASQuery

/// User SQL can read everything and change nothing, whatever it says.
@Suite struct ReadOnlyQueryTests {
    static let writes = [
        "INSERT INTO events (search_id, kind, message) VALUES (1, 'x', 'y')",
        "UPDATE candidates SET score = 1",
        "DELETE FROM events",
        "DROP TABLE candidates",
        "DROP VIEW search_progress",
        "DROP INDEX candidates_by_cost",
        "DROP TRIGGER events_are_append_only_delete",
        "CREATE TABLE notes (a)",
        "CREATE TEMP TABLE notes (a)",
        "CREATE TEMP VIEW v AS SELECT 1",
        "CREATE INDEX by_arch ON candidates(arch)",
        "CREATE TRIGGER t AFTER INSERT ON events BEGIN SELECT 1; END",
        "CREATE VIRTUAL TABLE v USING json_each",
        "ALTER TABLE candidates ADD COLUMN note TEXT",
        "ATTACH DATABASE 'other.db' AS other",
        "ATTACH ':memory:' AS scratch",
        "DETACH DATABASE main",
        "PRAGMA writable_schema = ON",
        "PRAGMA query_only = OFF",
        "PRAGMA user_version = 7",
        "PRAGMA journal_mode = DELETE",
        "PRAGMA optimize",
        "PRAGMA wal_checkpoint(TRUNCATE)",
        "SELECT load_extension('/tmp/evil.so')",
        "SELECT * FROM candidates WHERE load_extension('x') IS NULL",
        "VACUUM",
        "VACUUM INTO 'copy.db'",
        "REINDEX",
        "ANALYZE",
        "BEGIN IMMEDIATE",
        "COMMIT",
        "SAVEPOINT s",
        "REPLACE INTO events (id, search_id, kind, message) VALUES (1, 1, 'x', 'y')",
        "WITH x AS (SELECT 1) DELETE FROM events",
        "EXPLAIN DELETE FROM events",
        "INSERT INTO sqlite_master VALUES ('table', 't', 't', 0, 'CREATE TABLE t(a)')",
        "SELECT 1; DELETE FROM events",
        "SELECT 1; INSERT INTO events (search_id, kind, message) VALUES (1, 'x', 'y')",
        "SELECT count(*) FROM candidates;\nDROP TABLE events; -- hidden",
        "/* comment */ ; ; UPDATE searches SET name = 'x'",
    ]

    @Test func everyFormOfWriteIsRefusedAndTheFileIsUnchanged() throws {
        let fixture = try SearchFixture.burger()
        let before = try fixture.bytes()
        let database = try QueryDatabase(path: fixture.path)
        for sql in Self.writes {
            var caught: QueryError?
            do {
                try database.withUserQuery(sql: sql) { rows in _ = try collect(rows) }
            } catch {
                caught = error
            }
            guard case .refused(_, let reason)? = caught else {
                Issue.record("not refused: \(sql) (\(caught.map(String.init(describing:)) ?? "ran"))")
                continue
            }
            #expect(!reason.isEmpty && !reason.contains("\n"), "\(sql): \(reason)")
            #expect(caught?.isBadInput == true)
        }
        #expect(try fixture.bytes() == before)
        #expect(!FileManager.default.fileExists(atPath: fixture.directory.path("copy.db")))
        // The database still reads, and nothing was attached or created.
        let count = try database.withUserQuery(sql: "SELECT count(*) FROM events") { try collect($0).rows }
        let expected = try fixture.read { db in try Int64.fetchOne(db, sql: "SELECT count(*) FROM events") ?? -1 }
        #expect(count == [[.integer(expected)]])
        #expect(try fixture.read { db in try String.fetchAll(db, sql: "SELECT name FROM pragma_database_list") } == ["main"])
    }

    @Test func refusalsNameWhatWasRefused() throws {
        let fixture = try SearchFixture.burger()
        let database = try QueryDatabase(path: fixture.path)
        let expectations = [
            "DELETE FROM events": "DELETE from events",
            "SELECT 1; DROP TABLE candidates": "DROP TABLE candidates",
            "CREATE TEMP TABLE t(a)": "CREATE TEMP TABLE t",
            "ATTACH 'x.db' AS x": "ATTACH",
            "PRAGMA writable_schema = 1": "PRAGMA writable_schema",
            "SELECT load_extension('x')": "load_extension",
        ]
        for (sql, phrase) in expectations {
            #expect(throws: QueryError.self) { try database.withUserQuery(sql: sql) { _ in } }
            do {
                try database.withUserQuery(sql: sql) { _ in }
            } catch {
                #expect(error.description.contains(phrase), "\(sql): \(error)")
                #expect(error.description.hasPrefix(fixture.path))
            }
        }
    }

    @Test func readsOfEveryKindWork() throws {
        let fixture = try SearchFixture.burger()
        let database = try QueryDatabase(path: fixture.path)
        let reads = [
            "SELECT * FROM candidates",
            "SELECT * FROM candidate_details", "SELECT * FROM candidate_options", "SELECT * FROM bucket_best",
            "SELECT * FROM pareto_front", "SELECT * FROM search_progress",
            "SELECT key, value FROM candidates, json_each(candidates.options_json)",
            "WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 5) SELECT * FROM n",
            "PRAGMA table_info(candidates)", "SELECT * FROM pragma_table_info('candidates')",
            "PRAGMA user_version", "PRAGMA integrity_check", "PRAGMA foreign_key_list(candidates)",
            "EXPLAIN QUERY PLAN SELECT * FROM pareto_front",
            "  -- leading comment\n SELECT 1;  ",
        ]
        for sql in reads {
            #expect(throws: Never.self, "\(sql)") { try database.withUserQuery(sql: sql) { _ = try collect($0) } }
        }
    }

    @Test func badSQLAndSeveralStatementsAreBadInput() throws {
        let fixture = try SearchFixture.burger()
        let database = try QueryDatabase(path: fixture.path)
        for sql in ["SELEC 1", "SELECT * FROM nowhere", "", "-- nothing", "SELECT 1; SELECT 2"] {
            do {
                try database.withUserQuery(sql: sql) { _ in }
                Issue.record("accepted: \(sql)")
            } catch {
                guard case .invalidSQL = error else { Issue.record("\(sql): \(error)"); continue }
                #expect(error.isBadInput)
            }
        }
    }

    @Test func missingAndForeignFilesAreRefusedWithoutBeingCreated() throws {
        let directory = try TemporaryDirectory()
        let missing = directory.path("missing.db")
        #expect(throws: QueryError.badRequest("\(missing): no such database")) { try QueryDatabase(path: missing) }
        #expect(!FileManager.default.fileExists(atPath: missing))
        let text = directory.path("notes.txt")
        try "hello, this is not a database at all, just some text".write(toFile: text, atomically: true, encoding: .utf8)
        #expect(throws: QueryError.self) { try QueryDatabase(path: text).withUserQuery(sql: "SELECT 1") { _ in } }
        let foreign = directory.path("foreign.db")
        try DatabaseQueue(path: foreign).write { try $0.execute(sql: "CREATE TABLE t(a)") }
        #expect(throws: QueryError.notLayerNASDatabase(path: foreign)) { try QueryDatabase(path: foreign).searches() }
    }

    @Test func policyAllowsOnlyReadingActions() {
        #expect(QueryAuthorizer.decide(action: 21, nil, nil) == .allow)           // SELECT
        #expect(QueryAuthorizer.decide(action: 20, "candidates", "arch") == .allow)  // READ
        #expect(QueryAuthorizer.decide(action: 19, "table_info", "candidates") == .allow)
        #expect(QueryAuthorizer.decide(action: 19, "user_version", nil) == .allow)
        #expect(QueryAuthorizer.decide(action: 19, "user_version", "3") != .allow)
        #expect(QueryAuthorizer.decide(action: 31, nil, "LOAD_EXTENSION") != .allow)
        #expect(QueryAuthorizer.decide(action: 31, nil, "json_extract") == .allow)
        for action: Int32 in [1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17, 18, 22, 24, 25, 26, 27, 28, 29, 30, 32] {
            #expect(QueryAuthorizer.decide(action: action, "t", nil) != .allow, "action \(action)")
        }
    }
}
