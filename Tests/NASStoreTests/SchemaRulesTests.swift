import Foundation
import NASTestSupport
import GRDB
import Testing
@testable import NASStore

/// The constraints that enforce the search rules in the schema itself.
@Suite struct SchemaRulesTests {
    /// A store in its own directory; the directory lives as long as this value.
    struct Fixture {
        let directory: TemporaryDirectory
        let store: Store
    }

    private func storeWithSearch() throws -> Fixture {
        let directory = try TemporaryDirectory()
        let store = try Store(path: directory.path("search.db"))
        try store.write { db in
            try db.execute(sql: """
                INSERT INTO searches (id, name, strategy, space_name, family, space_json, settings_json, evaluator,
                                      seed, target_metric, target_min, target_max)
                VALUES (1, 's', 'layernas', 'burger', 'custom', '{}', '{}', 'synthetic', 1, 'cost', 8, 9);
                INSERT INTO steps (search_id, step, round, layer, parents_json, status) VALUES (1, 1, 1, 1, '[]', 'planned');
                INSERT INTO candidates (id, search_id, arch, options_json, cost, in_window, status, seq, step)
                VALUES (1, 1, 'C-B-D', '["C","B","D"]', 9, 1, 'pending', 1, 1);
                """)
        }
        return Fixture(directory: directory, store: store)
    }

    @Test func anArchitectureAppearsOncePerSearch() throws {
        let fixture = try storeWithSearch()
        let store = fixture.store
        #expect(throws: DatabaseError.self) {
            try store.writer.write { db in
                try db.execute(sql: """
                    INSERT INTO candidates (search_id, arch, options_json, cost, in_window, status, seq)
                    VALUES (1, 'C-B-D', '["C","B","D"]', 9, 1, 'pending', 2)
                    """)
            }
        }
    }

    @Test func anEvaluatedResultCannotBeOverwrittenOrDeleted() throws {
        let fixture = try storeWithSearch()
        let store = fixture.store
        try store.write { db in try db.execute(sql: "UPDATE candidates SET status = 'evaluated', score = 0.5 WHERE id = 1") }
        #expect(throws: DatabaseError.self) {
            try store.writer.write { db in try db.execute(sql: "UPDATE candidates SET score = 0.9 WHERE id = 1") }
        }
        #expect(throws: DatabaseError.self) {
            try store.writer.write { db in try db.execute(sql: "DELETE FROM candidates WHERE id = 1") }
        }
        let score = try store.read { db in try Double.fetchOne(db, sql: "SELECT score FROM candidates WHERE id = 1") }
        #expect(score == 0.5)
    }

    @Test func statusValuesAndScorePresenceAreChecked() throws {
        let fixture = try storeWithSearch()
        let store = fixture.store
        #expect(throws: DatabaseError.self) {
            try store.writer.write { db in try db.execute(sql: "UPDATE candidates SET status = 'great' WHERE id = 1") }
        }
        #expect(throws: DatabaseError.self) {
            try store.writer.write { db in try db.execute(sql: "UPDATE candidates SET status = 'evaluated' WHERE id = 1") }
        }
    }

    @Test func foreignKeysAreEnforced() throws {
        let fixture = try storeWithSearch()
        let store = fixture.store
        #expect(throws: DatabaseError.self) {
            try store.writer.write { db in
                try db.execute(sql: "INSERT INTO memberships (search_id, layer, candidate_id, bucket, state, offer) VALUES (1, 1, 999, 0, 'kept', 1)")
            }
        }
    }

    @Test func theEventLogIsAppendOnly() throws {
        let fixture = try storeWithSearch()
        let store = fixture.store
        try store.write { db in try db.execute(sql: "INSERT INTO events (search_id, kind, message) VALUES (1, 'created', 'hello')") }
        #expect(throws: DatabaseError.self) {
            try store.writer.write { db in try db.execute(sql: "UPDATE events SET message = 'changed'") }
        }
        #expect(throws: DatabaseError.self) {
            try store.writer.write { db in try db.execute(sql: "DELETE FROM events") }
        }
    }

    /// A store with two searches, each with one evaluated candidate, an epoch, a membership and
    /// an event: what a whole-search delete must remove from one and leave in the other.
    private func storeWithTwoEvaluatedSearches() throws -> Fixture {
        let directory = try TemporaryDirectory()
        let store = try Store(path: directory.path("two.db"))
        try store.write { db in
            for id in [1, 2] {
                try db.execute(sql: """
                    INSERT INTO searches (id, name, strategy, space_name, family, space_json, settings_json, evaluator,
                                          seed, target_metric, target_min, target_max)
                    VALUES (?, ?, 'layernas', 'burger', 'custom', '{}', '{}', 'synthetic', 1, 'cost', 8, 9);
                    INSERT INTO layers (search_id, layer, name, default_option, bucket_min, bucket_max, buckets) VALUES (?, 1, 'bun', 'C', 0, 9, 2);
                    INSERT INTO options (search_id, layer, option_index, label, fields_json, is_default) VALUES (?, 1, 0, 'C', '{}', 1);
                    INSERT INTO steps (search_id, step, round, layer, parents_json, status) VALUES (?, 1, 1, 1, '[]', 'done');
                    INSERT INTO candidates (id, search_id, arch, options_json, cost, in_window, status, score, seq, step)
                    VALUES (?, ?, 'C', '["C"]', 9, 1, 'evaluated', 0.5, 1, 1);
                    INSERT INTO candidates (id, search_id, arch, options_json, cost, in_window, status, score, seq, step, parent_id)
                    VALUES (? + 10, ?, 'D', '["D"]', 9, 1, 'evaluated', 0.6, 2, 1, ?);
                    INSERT INTO memberships (search_id, layer, candidate_id, bucket, state, offer, evicted_by) VALUES (?, 1, ?, 0, 'evicted', 1, ? + 10);
                    INSERT INTO epochs (candidate_id, attempt, epoch, validation_accuracy) VALUES (?, 1, 1, 0.5);
                    INSERT INTO events (search_id, kind, candidate_id, message) VALUES (?, 'evaluated', ?, 'done');
                    """, arguments: [id, "s\(id)", id, id, id, id, id, id, id, id, id, id, id, id, id, id])
            }
        }
        return Fixture(directory: directory, store: store)
    }

    private func rowCounts(_ store: Store, searchID: Int64) throws -> [Int] {
        try store.read { db in
            try [
                "SELECT count(*) FROM searches WHERE id = ?", "SELECT count(*) FROM layers WHERE search_id = ?",
                "SELECT count(*) FROM options WHERE search_id = ?", "SELECT count(*) FROM steps WHERE search_id = ?",
                "SELECT count(*) FROM candidates WHERE search_id = ?", "SELECT count(*) FROM memberships WHERE search_id = ?",
                "SELECT count(*) FROM epochs WHERE candidate_id IN (SELECT id FROM candidates WHERE search_id = ?)",
                "SELECT count(*) FROM events WHERE search_id = ?",
            ].map { try Int.fetchOne(db, sql: $0, arguments: [searchID]) ?? -1 }
        }
    }

    /// `deleteSearch` removes one whole search and nothing else; afterwards single evaluated
    /// candidates and events of the other search are as undeletable as before (migration 0005).
    @Test func aWholeSearchIsDeletedAndSingleResultsStayUndeletable() throws {
        let fixture = try storeWithTwoEvaluatedSearches()
        let store = fixture.store
        let otherBefore = try rowCounts(store, searchID: 2)
        #expect(otherBefore.allSatisfy { $0 > 0 })
        nonisolated(unsafe) var removedIDs: [Int64] = []
        let deleted = try store.deleteSearch(searchID: 1, isAlive: { _, _ in false }, removeFiles: { removedIDs = $0 })
        #expect(deleted.name == "s1" && deleted.candidates == 2 && deleted.evaluated == 2)
        #expect(removedIDs == [1, 11])
        #expect(try rowCounts(store, searchID: 1) == [0, 0, 0, 0, 0, 0, 0, 0])
        #expect(try rowCounts(store, searchID: 2) == otherBefore)
        #expect(try store.read { db in try Int.fetchOne(db, sql: "SELECT count(*) FROM search_deletions") } == 0)
        #expect(throws: DatabaseError.self) {
            try store.writer.write { db in try db.execute(sql: "DELETE FROM candidates WHERE search_id = 2") }
        }
        #expect(throws: DatabaseError.self) {
            try store.writer.write { db in try db.execute(sql: "DELETE FROM events WHERE search_id = 2") }
        }
        #expect(throws: DatabaseError.self) {
            try store.writer.write { db in try db.execute(sql: "INSERT INTO search_deletions (search_id) VALUES (99)") }
        }
    }

    /// A search a live process runs is refused, and a failure to remove its files rolls the whole
    /// delete back: either everything goes or nothing does.
    @Test func aDeleteIsRefusedWhileTheSearchRunsAndRolledBackWhenFilesCannotGo() throws {
        let fixture = try storeWithTwoEvaluatedSearches()
        let store = fixture.store
        try store.write { db in try db.execute(sql: "UPDATE searches SET owner = 'host:1@1', status = 'running' WHERE id = 1") }
        let before = try rowCounts(store, searchID: 1)
        #expect(throws: StoreError.self) {
            try store.deleteSearch(searchID: 1, isAlive: { owner, _ in owner == "host:1@1" }, removeFiles: { _ in })
        }
        #expect(throws: StoreError.self) {
            try store.renameSearch(searchID: 1, to: "new", isAlive: { owner, _ in owner == "host:1@1" })
        }
        struct CannotRemove: Error {}
        #expect(throws: StoreError.self) {
            try store.deleteSearch(searchID: 1, isAlive: { _, _ in false }, removeFiles: { _ in throw CannotRemove() })
        }
        #expect(try rowCounts(store, searchID: 1) == before)
        #expect(try store.search(named: "s1") != nil)
    }

    /// A rename keeps the search's rows and refuses a name another search has.
    @Test func aRenameKeepsTheRowsAndRefusesATakenName() throws {
        let fixture = try storeWithTwoEvaluatedSearches()
        let store = fixture.store
        let before = try rowCounts(store, searchID: 1)
        #expect(throws: StoreError.self) { try store.renameSearch(searchID: 1, to: "s2", isAlive: { _, _ in false }) }
        try store.renameSearch(searchID: 1, to: "renamed", isAlive: { _, _ in false })
        #expect(try store.search(named: "renamed")?.id == 1)
        #expect(try store.search(named: "s1") == nil)
        #expect(try rowCounts(store, searchID: 1)[..<7] == before[..<7])
    }
}

