import Foundation
import GRDB
import NASStore
import NASTestSupport
import Testing
@testable import NASQuery

/// The query layer calls a file a layernas database exactly when `Store` does.
@Suite struct LayerNASFileTests {
    @Test func fileFromANewerLayerNASIsRefusedAsStoreRefusesIt() throws {
        let directory = try TemporaryDirectory()
        let path = directory.path("future.db")
        _ = try Store(path: path)
        try DatabaseQueue(path: path).write { db in
            try db.execute(sql: "INSERT INTO grdb_migrations (identifier) VALUES ('9999_from_the_future')")
        }
        let storeError = StoreError.newerVersion(
            path: path, unknown: ["9999_from_the_future"], latestKnown: Schema.migrationIdentifiers.last ?? "none")
        #expect(throws: storeError) { try Store(path: path, readOnly: true) }
        let database = try QueryDatabase(path: path)
        #expect(throws: QueryError.badRequest(storeError.description)) { try database.searches() }
        #expect(throws: QueryError.self) {
            try database.paretoReport(selection: .all, objectives: nil, source: .evaluated, keepValues: false)
        }
        do {
            _ = try database.searches()
        } catch {
            #expect(error.isBadInput)
            #expect(error.description.contains("written by a newer layernas"))
        }
    }

    @Test func freshLayerNASFileReadsAndForeignOnesAreNotLayerNAS() throws {
        let directory = try TemporaryDirectory()
        let path = directory.path("fresh.db")
        _ = try Store(path: path)
        #expect(try QueryDatabase(path: path).searches().isEmpty)
        let foreign = directory.path("foreign.db")
        try DatabaseQueue(path: foreign).write { db in
            try db.execute(sql: "CREATE TABLE searches (id INTEGER PRIMARY KEY)")
        }
        #expect(throws: QueryError.notLayerNASDatabase(path: foreign)) { try QueryDatabase(path: foreign).searches() }
    }

    @Test func compileErrorsNameTheStatementThatFailed() throws {
        let directory = try TemporaryDirectory()
        let path = directory.path("fresh.db")
        _ = try Store(path: path)
        let database = try QueryDatabase(path: path)
        #expect(throws: QueryError.invalidSQL(path: path, message: "no such table: nowhere (in: SELECT * FROM nowhere)")) {
            try database.withUserQuery(sql: "SELECT 1;\n  SELECT * FROM nowhere") { _ in }
        }
        #expect(throws: QueryError.invalidSQL(path: path, message: "no statement to run")) {
            try database.withUserQuery(sql: "-- nothing") { _ in }
        }
        #expect(throws: QueryError.invalidSQL(path: path, message: "2 statements given; query runs exactly one")) {
            try database.withUserQuery(sql: "SELECT 1; SELECT 2") { _ in }
        }
    }
}
