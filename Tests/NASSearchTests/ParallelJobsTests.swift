import Foundation
import GRDB
import Synchronization
import Testing
@testable import NASSearch
import NASSpace
@testable import NASStore

/// `--jobs N` evaluates several children at once, yet ends in exactly the state of `--jobs 1`.
@Suite struct ParallelJobsTests {
    /// Synthetic scores, but each evaluation sleeps a pseudo-random time so results finish out of
    /// generation order.
    struct JitteryEvaluator: Evaluator {
        var description: String { "synthetic" }

        func evaluate(_ request: EvaluationRequest) throws(EvaluationError) -> EvaluationResult {
            var generator = SplitMix64(seed: UInt64(request.candidateID) &* 7919)
            Thread.sleep(forTimeInterval: Double(generator.next() % 12) / 1000)
            return try SyntheticEvaluator().evaluate(request)
        }
    }

    static func snapshot(_ path: String) throws -> [String] {
        try DatabaseQueue(path: path).read { db in
            let queries = [
                "SELECT c.seq, c.arch, c.status, c.score, c.parent_id, c.layer, c.step, c.offered FROM candidates c ORDER BY c.seq",
                "SELECT m.layer, m.bucket, m.state, m.offer, m.evicted_by, m.expanded, m.candidate_id FROM memberships m ORDER BY m.offer, m.layer",
                "SELECT step, round, layer, parents_json FROM steps ORDER BY step",
            ]
            return try queries.flatMap { sql in try Row.fetchAll(db, sql: sql).map(\.description) }
        }
    }

    func run(jobs: Int, budget: Int?, space: SearchSpace, strategy: SearchStrategy = .layernasPaper) throws -> (SearchHarness, [String]) {
        let harness = try SearchHarness()
        let opened = try SearchSetup.open(
            store: harness.store,
            request: SearchRequest(space: space, strategy: strategy, evaluator: "synthetic", seed: 4, buckets: 6, perBucket: 2, parents: 3,
                                   children: 3, budget: budget),
            defaultEvaluator: { _ in nil })
        var runner = SearchRunner(
            store: harness.store, searchID: opened.record.id, space: space, settings: opened.settings,
            evaluator: JitteryEvaluator(), owner: "test:1", budget: budget, timeLimitSeconds: nil)
        runner.jobs = jobs
        _ = try runner.run(isOwnerAlive: { _, _ in false })
        return (harness, try Self.snapshot(harness.directory.path("search.db")))
    }

    @Test(arguments: [(2, SearchStrategy.layernasPaper), (4, .layernasPaper), (9, .layernasPaper), (3, .layernas), (8, .layernas)])
    func anyNumberOfJobsGivesTheStateOfOneJob(jobs: Int, strategy: SearchStrategy) throws {
        let space = try SearchHarness.example("fashion-mlp.yaml")
        let (_, sequential) = try run(jobs: 1, budget: nil, space: space, strategy: strategy)
        let (_, parallel) = try run(jobs: jobs, budget: nil, space: space, strategy: strategy)
        #expect(sequential.count > 80)
        #expect(parallel == sequential)
    }

    @Test func budgetStopsParallelRunsAtTheSameCandidates() throws {
        let space = try SearchHarness.example("fashion-mlp.yaml")
        let (_, sequential) = try run(jobs: 1, budget: 25, space: space)
        let (_, parallel) = try run(jobs: 5, budget: 25, space: space)
        #expect(parallel == sequential)
    }

    /// Evaluates like `JitteryEvaluator`, except that the first candidate's evaluation raises the
    /// stop flag and reports itself cancelled after the others of its step have finished.
    final class InterruptingEvaluator: Evaluator {
        let stop = Mutex<Bool>(false)
        var description: String { "synthetic" }

        func evaluate(_ request: EvaluationRequest) throws(EvaluationError) -> EvaluationResult {
            if request.candidateID == 1 && request.attempt == 1 {
                Thread.sleep(forTimeInterval: 0.2)
                stop.withLock { $0 = true }
                throw .cancelled
            }
            return try JitteryEvaluator().evaluate(request)
        }
    }

    @Test func resultsCommittedOutOfOrderAreOfferedInOrderOnResume() throws {
        // Interrupted while the first child of a step runs and later ones have finished: their
        // results are committed but not offered; the resumed run offers them in order.
        let space = try SearchHarness.example("burger.yaml")
        let (_, expected) = try run(jobs: 1, budget: nil, space: space)
        let harness = try SearchHarness()
        let opened = try SearchSetup.open(
            store: harness.store,
            request: SearchRequest(space: space, strategy: .layernasPaper, evaluator: "synthetic", seed: 4, buckets: 6, perBucket: 2, parents: 3,
                                   children: 3),
            defaultEvaluator: { _ in nil })
        let interrupting = InterruptingEvaluator()
        var first = SearchRunner(
            store: harness.store, searchID: opened.record.id, space: space, settings: opened.settings,
            evaluator: interrupting, owner: "test:1", budget: nil, timeLimitSeconds: nil,
            isCancelled: { interrupting.stop.withLock { $0 } })
        first.jobs = 3
        #expect(try first.run(isOwnerAlive: { _, _ in false }) == .interrupted)
        let unoffered = try harness.store.read { db in
            try Int.fetchOne(db, sql: "SELECT count(*) FROM candidates WHERE status = 'evaluated' AND offered = 0")
        }
        #expect((unoffered ?? 0) >= 1, "the interruption did not leave results waiting for their turn")
        var second = SearchRunner(
            store: harness.store, searchID: opened.record.id, space: space, settings: opened.settings,
            evaluator: JitteryEvaluator(), owner: "test:2", budget: nil, timeLimitSeconds: nil)
        second.jobs = 2
        _ = try second.run(isOwnerAlive: { _, _ in false })
        let resumed = try Self.snapshot(harness.directory.path("search.db"))
        #expect(resumed == expected)
    }
}
