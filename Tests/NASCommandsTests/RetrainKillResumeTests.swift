import Foundation
import GRDB
import NASTestSupport
import Testing

/// docs/ARCHITECTURE.md#checkpoints, end to end: a retraining SIGKILLed at random moments (while
/// it loads, trains an epoch or commits one) and resumed each time ends with the weights, curve
/// and test accuracy of an uninterrupted run with the same threads, bit for bit.
@Suite struct RetrainKillResumeTests {
    static let arguments = ["--arch", "128-64-skip-32", "--epochs", "10", "--train-subset", "4000", "--threads", "1", "--quiet"]

    /// What must equal between the two runs: the weights' bytes, the test accuracy, and the curve
    /// without its timings.
    static func result(_ database: String) throws -> [String] {
        try DatabaseQueue(path: database).read { db in
            try String.fetchAll(db, sql: """
                SELECT status || ' ' || completed_epochs || ' ' || quote(test_accuracy) || ' ' || hex(weights) FROM retrainings
                """) + String.fetchAll(db, sql: """
                SELECT epoch || ' ' || quote(train_loss) || ' ' || quote(train_accuracy) FROM retraining_epochs ORDER BY epoch
                """)
        }
    }

    static func completedEpochs(_ database: String) -> Int {
        (try? DatabaseQueue(path: database).read { db in
            try Int.fetchOne(db, sql: "SELECT completed_epochs FROM retrainings")
        }) ?? nil ?? 0
    }

    @Test func aRetrainingKilledAtRandomMomentsEndsWithTheUninterruptedWeights() throws {
        let directory = try TemporaryDirectory()
        let reference = try RetrainCommandTests.mlpSearch(in: directory, name: "reference.db")
        let resumed = try RetrainCommandTests.mlpSearch(in: directory, name: "resumed.db")
        let uninterrupted = try CommandRunner.run(["retrain", reference] + Self.arguments)
        #expect(uninterrupted.status == 0, "\(uninterrupted.stderr)")

        // An epoch's duration on this machine, so kills can be aimed inside epochs.
        let epochSeconds = try DatabaseQueue(path: reference).read { db in
            try Double.fetchOne(db, sql: "SELECT avg(seconds) FROM retraining_epochs") ?? 0.2
        }
        var random = SystemRandomNumberGenerator()
        var kills = 0, killsAfterAnEpoch = 0
        // A run that restarted from scratch instead of its checkpoint would also end with the same
        // weights; it shows as the stored epoch count going down, which must never happen.
        var highestSeen = 0
        func observedEpochs() -> Int {
            let epochs = Self.completedEpochs(resumed)
            #expect(epochs >= highestSeen, "the stored progress went back from \(highestSeen) to \(epochs) epochs")
            highestSeen = max(highestSeen, epochs)
            return epochs
        }
        while true {
            let process = try CommandRunner.start(["retrain", resumed] + Self.arguments)
            let before = observedEpochs()
            if kills == 0 {
                // The first kill lands anywhere: loading the data, the first batches.
                Thread.sleep(forTimeInterval: Double.random(in: 0.0...1.0, using: &random))
            } else {
                // The others land at a random point of the epoch after one more was committed.
                let deadline = Date().addingTimeInterval(60)
                while process.isRunning && observedEpochs() == before && Date() < deadline {
                    Thread.sleep(forTimeInterval: 0.01)
                }
                Thread.sleep(forTimeInterval: Double.random(in: 0.0...epochSeconds, using: &random))
            }
            guard process.isRunning, kills < 6 else {
                process.waitUntilExit()
                #expect(process.terminationStatus == 0, "the resumed retraining failed")
                break
            }
            kill(process.processIdentifier, SIGKILL)
            process.waitUntilExit()
            kills += 1
            if observedEpochs() > 0 { killsAfterAnEpoch += 1 }
            let integrity = try DatabaseQueue(path: resumed).read { db in try String.fetchOne(db, sql: "PRAGMA integrity_check") }
            #expect(integrity == "ok")
        }
        print("retrain kill/resume: \(kills) SIGKILLs, \(killsAfterAnEpoch) of them after a checkpoint")
        #expect(killsAfterAnEpoch >= 3, "too few kills landed after a checkpoint to prove a resume")
        let expected = try Self.result(reference)
        #expect(expected.count == 11 && expected[0].hasPrefix("finished 10 "))
        #expect(try Self.result(resumed) == expected)
    }
}
