import Foundation
import GRDB
import Synchronization
import Testing
@testable import NASSearch
import NASSpace
@testable import NASStore

/// A long evaluation keeps renewing its lease and the search heartbeat while it runs.
@Suite struct LeaseTests {
    /// Sleeps during evaluation and records the lease expiry seen at the start and at the end.
    final class SlowEvaluator: Evaluator {
        let databasePath: String
        let observed = Mutex<[(Double, Double)]>([])

        init(databasePath: String) {
            self.databasePath = databasePath
        }

        var description: String { "synthetic" }

        private func lease(_ id: Int64) -> Double {
            (try? DatabaseQueue(path: databasePath).read { db in
                try Double.fetchOne(db, sql: "SELECT lease_expires_at FROM candidates WHERE id = ?", arguments: [id])
            }) .flatMap { $0 } ?? 0
        }

        func evaluate(_ request: EvaluationRequest) throws(EvaluationError) -> EvaluationResult {
            let first = lease(request.candidateID)
            Thread.sleep(forTimeInterval: 0.6)
            let last = lease(request.candidateID)
            observed.withLock { $0.append((first, last)) }
            return try SyntheticEvaluator().evaluate(request)
        }
    }

    @Test func leaseIsRenewedDuringALongEvaluation() throws {
        let harness = try SearchHarness()
        let space = try SearchHarness.example("burger.yaml")
        let opened = try SearchSetup.open(
            store: harness.store, request: SearchRequest(space: space, evaluator: "synthetic", budget: 2),
            defaultEvaluator: { _ in nil })
        let evaluator = SlowEvaluator(databasePath: harness.directory.path("search.db"))
        let clock = Mutex<Double>(1_000)
        var runner = SearchRunner(
            store: harness.store, searchID: opened.record.id, space: space, settings: opened.settings,
            evaluator: evaluator, owner: "test:1", budget: 2, timeLimitSeconds: nil,
            now: { clock.withLock { value in value += 1; return value } })
        runner.leaseRenewalSeconds = 0.1
        _ = try runner.run(isOwnerAlive: { _, _ in false })
        let observations = evaluator.observed.withLock { $0 }
        #expect(observations.count == 2)
        for (first, last) in observations {
            #expect(first > 0)
            #expect(last > first, "the lease was not renewed during the evaluation")
        }
    }
}
