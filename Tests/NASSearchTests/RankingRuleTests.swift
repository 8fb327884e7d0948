import Foundation
import GRDB
import NASSearch
import NASSpace
import NASStore
import NASTestSupport
import Testing

/// The views of migration 0002 spell the ranking rule in SQL; shipped migrations are never
/// edited, so this pins them to `Ranking`: on searches whose scores tie often (three score
/// levels, costs that tie too), `bucket_best`, `search_progress` and `Store.bestCandidate` pick
/// exactly the candidate `Ranking` puts first.
@Suite struct RankingRuleTests {
    @Test(arguments: [UInt64(1), 2, 3, 4])
    func viewsAndTheStoreRankAsTheRule(seed: UInt64) throws {
        let harness = try SearchHarness()
        let space = try SearchHarness.example("burger.yaml")
        // Scores with many ties: one of three levels, from a seeded mix of the key.
        var rows = ["arch,score"]
        for architecture in allArchitectures(space) {
            let key = space.key(of: architecture)
            var generator = SplitMix64(seed: seed &+ UInt64(truncatingIfNeeded: key.hashValueStable))
            rows.append("\(key),\(Double(generator.next() % 3) / 10)")
        }
        let table = harness.directory.path("ties.csv")
        try rows.joined(separator: "\n").write(toFile: table, atomically: true, encoding: .utf8)
        let (searchID, _) = try harness.run(space, evaluator: try TableEvaluator(path: table), seed: seed, buckets: 3, perBucket: 3)

        let candidates = try harness.store.candidates(searchID: searchID)
        let byID = Dictionary(uniqueKeysWithValues: candidates.map { ($0.id, $0) })
        func ranked(_ ids: [Int64]) -> Int64? {
            ids.compactMap { byID[$0] }
                .min { Ranking.precedes(($0.score, $0.cost, $0.seq), ($1.score, $1.cost, $1.seq)) }?.id
        }
        let queue = try DatabaseQueue(path: harness.directory.path("search.db"))
        let (kept, bucketBest, progressBest) = try queue.read { db in
            let kept = try Row.fetchAll(db, sql: "SELECT layer, bucket, candidate_id FROM memberships WHERE search_id = ? AND state = 'kept'",
                                        arguments: [searchID])
                .map { (layer: $0["layer"] as Int, bucket: $0["bucket"] as Int, id: $0["candidate_id"] as Int64) }
            let bucketBest = try Row.fetchAll(db, sql: "SELECT layer, bucket, candidate_id FROM bucket_best WHERE search_id = ?",
                                              arguments: [searchID])
                .map { (layer: $0["layer"] as Int, bucket: $0["bucket"] as Int, id: $0["candidate_id"] as Int64) }
            let progressBest = try String.fetchOne(db, sql: "SELECT best_arch FROM search_progress WHERE search_id = ?", arguments: [searchID])
            return (kept, bucketBest, progressBest)
        }
        #expect(!bucketBest.isEmpty)
        var ties = 0
        for best in bucketBest {
            let members = kept.filter { $0.layer == best.layer && $0.bucket == best.bucket }.map(\.id)
            let scores = Set(members.compactMap { byID[$0]?.score })
            if scores.count < members.count { ties += 1 }
            #expect(best.id == ranked(members), "layer \(best.layer) bucket \(best.bucket)")
        }
        let inWindow = candidates.filter { $0.status == .evaluated && byID[$0.id]!.cost >= 8 && byID[$0.id]!.cost <= 9 }.map(\.id)
        let answer = try #require(ranked(inWindow))
        #expect(try harness.store.bestCandidate(searchID: searchID)?.id == answer)
        #expect(progressBest == byID[answer]?.arch)
        #expect(ties > 0, "the table should make members of a bucket tie")
    }
}

private extension String {
    /// FNV-1a of the UTF-8 bytes: stable across runs, unlike `hashValue`.
    var hashValueStable: UInt64 {
        var hash: UInt64 = 0xcbf2_9ce4_8422_2325
        for byte in utf8 { hash = (hash ^ UInt64(byte)) &* 0x100_0000_01b3 }
        return hash
    }
}
