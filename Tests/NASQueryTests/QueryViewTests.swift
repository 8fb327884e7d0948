import Foundation
import GRDB
import NASSearch
import NASSpace
import NASStore
import Testing
@testable import NASQuery

/// The views of migration 0002 answer what the tables say.
@Suite struct QueryViewTests {
    @Test func candidateViewsDecodeOptionsAndCosts() throws {
        let fixture = try SearchFixture.burger()
        try fixture.read { db in
            let count = try Int.fetchOne(db, sql: "SELECT count(*) FROM candidates") ?? 0
            #expect(try Int.fetchOne(db, sql: "SELECT count(*) FROM candidate_details") == count)
            #expect(try Int.fetchOne(db, sql: "SELECT count(*) FROM candidate_options") == count * 3)
            // Every decoded option exists in the space, and the labels rebuild the key.
            #expect(try Int.fetchOne(db, sql: "SELECT count(*) FROM candidate_options WHERE option_index IS NULL OR layer_name IS NULL") == 0)
            let rebuilt = try Row.fetchAll(db, sql: """
                SELECT arch, group_concat(label, '-') AS joined FROM (SELECT * FROM candidate_options ORDER BY candidate_id, layer)
                GROUP BY candidate_id
                """)
            #expect(rebuilt.allSatisfy { ($0["arch"] as String) == ($0["joined"] as String) })
            // Parents are named by key.
            let orphans = try Int.fetchOne(db, sql: "SELECT count(*) FROM candidate_details WHERE parent_id IS NOT NULL AND parent IS NULL")
            #expect(orphans == 0)
            #expect(try String.fetchOne(db, sql: "SELECT DISTINCT search FROM candidate_details") == "burger")
        }
    }

    @Test func bucketBestIsTheBestKeptMemberOfEveryBucket() throws {
        let fixture = try SearchFixture.burger()
        try fixture.read { db in
            let view = try Row.fetchAll(db, sql: "SELECT layer, bucket, arch, members FROM bucket_best ORDER BY layer, bucket")
            let kept = try Row.fetchAll(db, sql: """
                SELECT m.layer, m.bucket, c.arch, c.score, c.cost, c.seq FROM memberships m JOIN candidates c ON c.id = m.candidate_id
                WHERE m.state = 'kept'
                """)
            var best: [String: (arch: String, key: (Double, Double, Int), members: Int)] = [:]
            for row in kept {
                let bucket = "\(row["layer"] as Int)/\(row["bucket"] as Int)"
                let key = (-(row["score"] as Double), row["cost"] as Double, row["seq"] as Int)
                if let current = best[bucket] {
                    best[bucket] = key < current.key ? (row["arch"], key, current.members + 1) : (current.arch, current.key, current.members + 1)
                } else {
                    best[bucket] = (row["arch"], key, 1)
                }
            }
            #expect(view.count == best.count)
            #expect(!view.isEmpty)
            for row in view {
                let expected = best["\(row["layer"] as Int)/\(row["bucket"] as Int)"]
                #expect(expected?.arch == row["arch"])
                #expect(expected?.members == row["members"])
            }
        }
    }

    @Test func searchProgressCountsAndBestMatchTheStore() throws {
        let fixture = try SearchFixture()
        let space = try SearchFixture.example("burger.yaml")
        let layernasID = try fixture.run(space, name: "layer")
        let randomID = try fixture.run(space, name: "rand", strategy: .random, budget: 7)
        let store = try Store(path: fixture.path, readOnly: true)
        try fixture.read { db in
            for (id, name) in [(layernasID, "layer"), (randomID, "rand")] {
                let row = try #require(try Row.fetchOne(db, sql: "SELECT * FROM search_progress WHERE search = ?", arguments: [name]))
                let counts = try store.statusCounts(searchID: id)
                #expect(row["evaluated"] == (counts[.evaluated] ?? 0))
                #expect(row["dropped"] == (counts[.dropped] ?? 0))
                #expect(row["evaluations"] == (counts[.evaluated] ?? 0) + (counts[.failed] ?? 0))
                #expect(row["best_arch"] == (try store.bestCandidate(searchID: id)?.arch))
                #expect(row["status"] == "finished")
            }
            let random = try #require(try Row.fetchOne(db, sql: "SELECT budget, budget_fraction FROM search_progress WHERE search = 'rand'"))
            #expect(random["budget"] == 7)
            #expect(random["budget_fraction"] == 1.0)
        }
    }

    @Test func paretoViewEqualsTheFastFront() throws {
        let fixture = try SearchFixture()
        let space = try SearchFixture.example("burger.yaml")
        try fixture.run(space, name: "a")
        try fixture.run(space, name: "b", strategy: .random, seed: 3, budget: 20)
        let viewRows = try fixture.read { db in
            try Row.fetchAll(db, sql: "SELECT search, candidate_id FROM pareto_front").map { "\($0["search"] as String)#\($0["candidate_id"] as Int64)" }
        }
        let report = try QueryDatabase(path: fixture.path).paretoReport(selection: .all, objectives: nil, source: .evaluated, keepValues: false)
        let fast = report.searches.flatMap { front in front.front.map { "\($0.search)#\($0.candidateID)" } }
        #expect(Set(viewRows) == Set(fast))
        #expect(viewRows.count == fast.count)
        #expect(!fast.isEmpty)
    }
}
