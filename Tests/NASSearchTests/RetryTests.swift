import Foundation
import GRDB
import Synchronization
import Testing
@testable import NASSearch
import NASSpace
@testable import NASStore

/// Transient failures are retried up to the limit; permanent ones are recorded at once.
@Suite struct RetryTests {
    /// Fails transiently the first `failures` times it sees each architecture, then scores it.
    final class FlakyEvaluator: Evaluator {
        let failures: Int
        private let seen = Mutex<[String: Int]>([:])

        init(failures: Int) {
            self.failures = failures
        }

        var description: String { "synthetic" }

        func evaluate(_ request: EvaluationRequest) throws(EvaluationError) -> EvaluationResult {
            let count = seen.withLock { counts -> Int in
                counts[request.key, default: 0] += 1
                return counts[request.key]!
            }
            if count <= failures { throw .transient("node lost on try \(count)") }
            return try SyntheticEvaluator().evaluate(request)
        }
    }

    private func run(_ evaluator: any Evaluator, maxAttempts: Int) throws -> (SearchHarness, Int64) {
        let harness = try SearchHarness()
        let space = try SearchHarness.example("burger.yaml")
        let opened = try SearchSetup.open(
            store: harness.store, request: SearchRequest(space: space, evaluator: "synthetic", buckets: 4, perBucket: 2, budget: 6),
            defaultEvaluator: { _ in nil })
        var runner = SearchRunner(
            store: harness.store, searchID: opened.record.id, space: space, settings: opened.settings,
            evaluator: evaluator, owner: "test:1", budget: opened.budget, timeLimitSeconds: nil)
        runner.maxAttempts = maxAttempts
        _ = try runner.run(isOwnerAlive: { _, _ in false })
        return (harness, opened.record.id)
    }

    @Test func transientFailureIsRetriedAndSucceeds() throws {
        let (harness, id) = try run(FlakyEvaluator(failures: 1), maxAttempts: 3)
        let candidates = try harness.store.candidates(searchID: id).filter { $0.status != .dropped }
        #expect(candidates.count == 6)
        #expect(candidates.allSatisfy { $0.status == .evaluated })
        let attempts = try harness.store.read { db in try Int.fetchAll(db, sql: "SELECT attempts FROM candidates WHERE status = 'evaluated'") }
        #expect(attempts.allSatisfy { $0 == 2 })
    }

    @Test func persistentTransientFailureFailsAfterTheLimit() throws {
        let (harness, id) = try run(FlakyEvaluator(failures: 100), maxAttempts: 3)
        let candidates = try harness.store.candidates(searchID: id).filter { $0.status != .dropped }
        #expect(!candidates.isEmpty)
        #expect(candidates.allSatisfy { $0.status == .failed })
        let rows = try harness.store.read { db in try String.fetchAll(db, sql: "SELECT attempts || ':' || error FROM candidates WHERE status = 'failed'") }
        #expect(rows.allSatisfy { $0.hasPrefix("3:failed 3 attempts; last: node lost on try 3") })
    }
}
