import Foundation
import GRDB
import NASSearch
import NASSpace
import Testing
@testable import NASQuery

/// Fronts read from real searches: sources, objectives, NULLs, overlays, outputs.
@Suite struct ParetoReportTests {
    /// The brute-force front of a search's evaluated candidates, by candidate id.
    static func referenceFront(_ fixture: SearchFixture, search: String, columns: [String], maximize: [Bool]) throws -> Set<Int64> {
        let rows = try fixture.read { db in
            try Row.fetchAll(db, sql: """
                SELECT c.id, \(columns.map { "c.\($0)" }.joined(separator: ", ")) FROM candidates c JOIN searches s ON s.id = c.search_id
                WHERE s.name = ? AND c.status = 'evaluated'
                """, arguments: [search])
        }
        let points: [[Double]] = rows.map { row in
            columns.indices.map { index in
                let value = (row[index + 1] as Double?) ?? .nan
                return maximize[index] ? -value : value
            }
        }
        return Set(ParetoFrontTests.bruteForce(points).map { rows[$0]["id"] as Int64 })
    }

    @Test func defaultFrontIsScoreAgainstTheTargetMetric() throws {
        let fixture = try SearchFixture()
        try fixture.run(try SearchFixture.example("fashion-mlp.yaml"), name: "mlp", buckets: 5, perBucket: 2, budget: 60)
        let report = try QueryDatabase(path: fixture.path).paretoReport(selection: .only, objectives: nil, source: .evaluated, keepValues: true)
        #expect(report.objectives.map(\.description) == ["score:max", "params:min"])
        let front = try #require(report.searches.first)
        #expect(Set(front.front.map(\.candidateID)) == (try Self.referenceFront(fixture, search: "mlp", columns: ["score", "params"], maximize: [true, false])))
        #expect(front.values.count == front.considered * 2)
        // Best score first; along the front the cost falls as the score falls.
        #expect(front.front.map(\.score) == front.front.map(\.score).sorted(by: >))
        #expect(front.front.allSatisfy { $0.madds != nil && $0.params != nil && $0.options.count == 4 && $0.arch == $0.options.joined(separator: "-") })
    }

    @Test func threeObjectivesMatchBruteForce() throws {
        let fixture = try SearchFixture()
        try fixture.run(try SearchFixture.example("fashion-mlp.yaml"), name: "mlp", buckets: 5, perBucket: 2, budget: 80)
        let objectives = try Objective.parseList("score:max,madds:min,params:max")
        let report = try QueryDatabase(path: fixture.path).paretoReport(selection: .only, objectives: objectives, source: .evaluated, keepValues: false)
        let ids = Set(report.searches[0].front.map(\.candidateID))
        #expect(ids == (try Self.referenceFront(fixture, search: "mlp", columns: ["score", "madds", "params"], maximize: [true, false, true])))
    }

    @Test func finalBucketsUsesTheLastStoreAndRefusesBaselines() throws {
        let fixture = try SearchFixture()
        let space = try SearchFixture.example("burger.yaml")
        try fixture.run(space, name: "layer")
        try fixture.run(space, name: "rand", strategy: .random, budget: 10)
        let database = try QueryDatabase(path: fixture.path)
        let report = try database.paretoReport(selection: .named(["layer"]), objectives: nil, source: .finalBuckets, keepValues: false)
        let kept = try fixture.read { db in
            Set(try Int64.fetchAll(db, sql: """
                SELECT candidate_id FROM memberships m JOIN searches s ON s.id = m.search_id
                WHERE s.name = 'layer' AND m.state = 'kept' AND m.layer = 3
                """))
        }
        #expect(report.searches[0].considered == kept.count)
        #expect(Set(report.searches[0].front.map(\.candidateID)).isSubset(of: kept))
        #expect(report.searches[0].front.allSatisfy { point in point.inWindow })
        #expect(throws: QueryError.self) {
            try database.paretoReport(selection: .named(["rand"]), objectives: nil, source: .finalBuckets, keepValues: false)
        }
    }

    @Test func searchesAreChosenByNameOrAllAndMistakesAreNamed() throws {
        let fixture = try SearchFixture()
        let space = try SearchFixture.example("burger.yaml")
        try fixture.run(space, name: "one")
        try fixture.run(space, name: "two", strategy: .random, budget: 5)
        let database = try QueryDatabase(path: fixture.path)
        #expect(try database.searches(.all).map(\.name) == ["one", "two"])
        #expect(try database.searches(.named(["two", "one", "two"])).map(\.name) == ["two", "one"])
        #expect(throws: QueryError.badRequest("\(fixture.path): no search named 'three' (searches: one, two)")) {
            try database.searches(.named(["three"]))
        }
        #expect(throws: QueryError.self) { try database.searches(.only) }
        #expect(throws: QueryError.self) {
            try database.paretoReport(selection: .all, objectives: [Objective(.score, .max), Objective(.madds, .min)], source: .evaluated, keepValues: false)
        }
        let overlay = try database.paretoReport(selection: .all, objectives: nil, source: .evaluated, keepValues: false)
        #expect(overlay.searches.map(\.search.name) == ["one", "two"])
        #expect(overlay.rows.rows.map { $0[0] }.contains(.text("two")))
    }

    @Test func rowsAndJSONCarryKeyOptionsCostsAndScore() throws {
        let fixture = try SearchFixture.burger()
        let report = try QueryDatabase(path: fixture.path).paretoReport(selection: .only, objectives: nil, source: .evaluated, keepValues: false)
        let rows = report.rows
        #expect(rows.columns == ["search", "candidate_id", "seq", "arch", "score", "target_metric", "cost", "custom_cost", "in_window", "layer", "option_1", "option_2", "option_3"])
        #expect(rows.rows.count == report.searches[0].front.count)
        let json = try JSONSerialization.jsonObject(with: Data(try report.json().utf8)) as? [String: Any]
        let searches = try #require(json?["searches"] as? [[String: Any]])
        let front = try #require(searches.first?["front"] as? [[String: Any]])
        #expect(front.count == rows.rows.count)
        let first = try #require(front.first)
        for key in ["arch", "options", "option_labels", "costs", "score", "search", "cost", "candidate_id"] {
            #expect(first[key] != nil, "\(key)")
        }
        #expect((first["options"] as? [String: String])?.keys.sorted() == ["bottom", "middle", "top"])
    }
}
