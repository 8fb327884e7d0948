import Foundation
import GRDB
import Testing
@testable import NASSearch
import NASSpace
import NASStore

/// Properties of docs/ARCHITECTURE.md#algorithm-choices checked on many small random spaces with synthetic scores.
@Suite struct LayerNASPropertyTests {
    static let spaces = randomCustomSpaces(count: 24, seed: 42)

    @Test(arguments: 0..<24)
    func keepingEverythingFindsTheGlobalInWindowOptimum(index: Int) throws {
        let space = Self.spaces[index]
        let evaluator = SyntheticEvaluator(seed: UInt64(index))
        let harness = try SearchHarness()
        let (id, outcome) = try harness.run(space, evaluator: evaluator, buckets: 1, perBucket: 10_000)
        guard case .finished = outcome else { Issue.record("search did not finish"); return }
        let optimum = allArchitectures(space)
            .filter { space.target.contains(space.targetCost(of: $0)) }
            .max { evaluator.score(of: $0, in: space) < evaluator.score(of: $1, in: space) }
        let best = try #require(try harness.store.bestCandidate(searchID: id))
        #expect(best.arch == space.key(of: try #require(optimum)))
    }

    @Test(arguments: 0..<24)
    func neverEvaluatesAnInfeasibleCandidateOrOneArchitectureTwice(index: Int) throws {
        let space = Self.spaces[index]
        let recorder = RecordingEvaluator(SyntheticEvaluator(seed: 7))
        let harness = try SearchHarness()
        let (id, _) = try harness.run(space, evaluator: recorder, buckets: 3, perBucket: 1, parents: 1, children: 1)
        let keys = recorder.evaluatedKeys
        #expect(Set(keys).count == keys.count, "an architecture was evaluated twice")
        for candidate in try harness.store.candidates(searchID: id) {
            let architecture = try space.architecture(key: candidate.arch)
            let layer = try #require(candidate.layer)
            let feasible = space.isFeasible(architecture, decided: layer)
            if candidate.status == .dropped {
                #expect(!feasible, "\(candidate.arch) was dropped although feasible")
                #expect(!keys.contains(candidate.arch))
            } else {
                #expect(feasible, "\(candidate.arch) was evaluated although infeasible at layer \(layer)")
            }
        }
    }

    @Test(arguments: 0..<24)
    func bucketsMatchPhiAndNeverHoldMoreThanK(index: Int) throws {
        let space = Self.spaces[index]
        let harness = try SearchHarness()
        let k = 2
        let buckets = 3
        let (id, _) = try harness.run(space, evaluator: SyntheticEvaluator(seed: 3), buckets: buckets, perBucket: k)
        let map = BucketMap(space: space, buckets: buckets)
        let rows = try DatabaseQueue(path: harness.directory.path("search.db")).read { db in
            try Row.fetchAll(db, sql: """
                SELECT m.layer, m.bucket, m.state, c.cost, c.arch FROM memberships m JOIN candidates c ON c.id = m.candidate_id
                WHERE m.search_id = ?
                """, arguments: [id])
        }
        #expect(!rows.isEmpty)
        var kept: [String: Int] = [:]
        for row in rows {
            let layer: Int = row["layer"]
            let cost: Double = row["cost"]
            let bucket: Int = row["bucket"]
            #expect(bucket == map.bucket(of: cost, layer: layer - 1), "\(row["arch"] as String) at layer \(layer)")
            if (row["state"] as String) == "kept" { kept["\(layer)/\(bucket)", default: 0] += 1 }
            if layer == space.layers.count { #expect(space.target.contains(cost)) }
        }
        #expect(kept.values.allSatisfy { $0 <= k })
    }

    @Test(arguments: 0..<24)
    func strictModeStaysWithinTheTrainingBound(index: Int) throws {
        let space = Self.spaces[index]
        let harness = try SearchHarness()
        let k = 1
        let buckets = 2
        let recorder = RecordingEvaluator(SyntheticEvaluator(seed: 5))
        try harness.run(space, evaluator: recorder, buckets: buckets, perBucket: k, strict: true)
        let bound = k * buckets * space.layers.reduce(0) { $0 + $1.options.count }
        #expect(recorder.evaluatedKeys.count <= bound)
    }

    @Test func sameSeedGivesIdenticalDatabasesAndOtherSeedsDiffer() throws {
        let space = try SearchHarness.example("fashion-mlp.yaml")
        func contents(seed: UInt64) throws -> [String] {
            let harness = try SearchHarness()
            let (id, _) = try harness.run(space, evaluator: SyntheticEvaluator(), seed: seed, buckets: 5, perBucket: 2, budget: 60)
            return try DatabaseQueue(path: harness.directory.path("search.db")).read { db in
                let tables = [
                    "SELECT arch, status, score, parent_id, layer, step, seq, cost FROM candidates WHERE search_id = \(id) ORDER BY seq",
                    "SELECT layer, candidate_id, bucket, state, offer, evicted_by, expanded FROM memberships WHERE search_id = \(id) ORDER BY offer, layer",
                    "SELECT step, round, layer, parents_json, status FROM steps WHERE search_id = \(id) ORDER BY step",
                    "SELECT kind, candidate_id, layer, message FROM events WHERE search_id = \(id) AND kind NOT IN ('started') ORDER BY id",
                ]
                return try tables.flatMap { sql in try Row.fetchAll(db, sql: sql).map { $0.description } }
            }
        }
        let first = try contents(seed: 11)
        #expect(first.count > 60)
        #expect(try contents(seed: 11) == first)
        #expect(try contents(seed: 12) != first)
    }

    @Test func baseModelIsALayerOneChildAndDefaultsAreNotRetriedLater() throws {
        let space = try SearchHarness.example("burger.yaml")
        let harness = try SearchHarness()
        let (id, _) = try harness.run(space, evaluator: SyntheticEvaluator(), buckets: 4, perBucket: 2)
        let candidates = try harness.store.candidates(searchID: id)
        for candidate in candidates where (candidate.layer ?? 1) > 1 {
            let layer = try #require(candidate.layer)
            let architecture = try space.architecture(key: candidate.arch)
            #expect(architecture.optionIndices[layer - 1] != space.layers[layer - 1].defaultIndex)
            #expect(candidate.parentID != nil)
        }
        #expect(candidates.filter { $0.layer == 1 }.allSatisfy { $0.parentID == nil })
    }
}
