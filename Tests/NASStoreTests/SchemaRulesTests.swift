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
}
