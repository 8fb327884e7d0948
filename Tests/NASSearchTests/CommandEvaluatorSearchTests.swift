import Foundation
import GRDB
import Testing
@testable import NASSearch
import NASSpace
@testable import NASStore

/// Whole searches whose candidates are scored by a real subprocess.
@Suite struct CommandEvaluatorSearchTests {
    /// A script that fails the first attempt of every candidate (exit 1, a line on stderr), then
    /// scores it from a checksum of its key with a metric and a two-epoch curve.
    static let flakyTrainer = """
        #!/bin/sh
        if [ "$LAYERNAS_ATTEMPT" = 1 ]; then
            echo "node lost on attempt 1 of $LAYERNAS_ARCH" >&2
            exit 1
        fi
        n=$(printf '%s' "$LAYERNAS_ARCH" | cksum | cut -d' ' -f1)
        echo "{\\"score\\": 0.$n, \\"metrics\\": {\\"attempt\\": $LAYERNAS_ATTEMPT}, \\"curve\\": [{\\"epoch\\": 1, \\"train_loss\\": 2.5}, {\\"epoch\\": 2, \\"train_loss\\": 1.25, \\"validation_accuracy\\": 0.$n}]}"

        """

    private func run(script: String, budget: Int, maxAttempts: Int) throws -> (SearchHarness, Int64, String) {
        let harness = try SearchHarness()
        let path = harness.directory.path("trainer.sh")
        try script.write(toFile: path, atomically: true, encoding: .utf8)
        let artifacts = harness.directory.path("artifacts")
        let evaluator = try CommandEvaluator(commandLine: "sh '\(path)'", artifactsRoot: artifacts, timeoutSeconds: 20)
        let space = try SearchHarness.example("burger.yaml")
        let opened = try SearchSetup.open(
            store: harness.store,
            request: SearchRequest(space: space, evaluator: evaluator.description, buckets: 4, perBucket: 2, budget: budget),
            defaultEvaluator: { _ in nil })
        var runner = SearchRunner(
            store: harness.store, searchID: opened.record.id, space: space, settings: opened.settings,
            evaluator: evaluator, owner: "test:1", budget: opened.budget, timeLimitSeconds: nil)
        runner.maxAttempts = maxAttempts
        _ = try runner.run(isOwnerAlive: { _, _ in false })
        return (harness, opened.record.id, evaluator.artifactsRoot)
    }

    @Test func failedFirstAttemptsAreRetriedAndScoresMetricsAndCurvesAreStored() throws {
        let (harness, id, artifacts) = try run(script: Self.flakyTrainer, budget: 6, maxAttempts: 3)
        let candidates = try harness.store.candidates(searchID: id).filter { $0.status != .dropped }
        #expect(candidates.count == 6)
        #expect(candidates.allSatisfy { $0.status == .evaluated })
        let rows = try harness.store.read { db in
            try Row.fetchAll(db, sql: "SELECT id, arch, attempts, metrics_json, recipe_json FROM candidates WHERE status = 'evaluated'")
                .map { row in (id: row["id"] as Int64, arch: row["arch"] as String, attempts: row["attempts"] as Int,
                               metrics: row["metrics_json"] as String?, recipe: row["recipe_json"] as String?) }
        }
        for row in rows {
            #expect(row.attempts == 2)
            #expect(row.metrics == #"{"attempt":2}"#)
            #expect(row.recipe != nil)
            let stdout = try String(contentsOfFile: "\(artifacts)/\(row.id)/stdout.log", encoding: .utf8)
            #expect(stdout.contains("attempt 1, ") && stdout.contains("attempt 2, "))
            let stderr = try String(contentsOfFile: "\(artifacts)/\(row.id)/stderr.log", encoding: .utf8)
            #expect(stderr.contains("node lost on attempt 1 of \(row.arch)"))
        }
        let curves = try harness.store.read { db in
            try Row.fetchAll(db, sql: "SELECT attempt, train_loss FROM epochs ORDER BY candidate_id, epoch")
                .map { row in (attempt: row["attempt"] as Int, trainLoss: row["train_loss"] as Double) }
        }
        #expect(curves.count == 12)
        #expect(curves.allSatisfy { $0.attempt == 2 })
        #expect(curves.map(\.trainLoss) == Array(repeating: [2.5, 1.25], count: 6).flatMap { $0 })
        let retries = try harness.store.read { db in
            try String.fetchAll(db, sql: "SELECT message FROM events WHERE message LIKE '%node lost%'")
        }
        #expect(!retries.isEmpty)
        #expect(retries.allSatisfy { $0.contains("command exited with status 1: node lost on attempt 1") && $0.contains("stderr.log") })
    }

    @Test func garbageOutputFailsTheCandidateAtOnceWithTheReasonAndTheSearchGoesOn() throws {
        let script = """
            #!/bin/sh
            # The first candidate evaluated prints prose instead of a result line.
            if mkdir "$LAYERNAS_WORKDIR/../first" 2>/dev/null; then echo 'accuracy: high'; exit 0; fi
            echo '{"score": 0.5}'

            """
        let (harness, id, artifacts) = try run(script: script, budget: 4, maxAttempts: 3)
        let failed = try harness.store.read { db in
            try Row.fetchAll(db, sql: "SELECT id, arch, attempts, error FROM candidates WHERE status = 'failed'")
                .map { row in (id: row["id"] as Int64, arch: row["arch"] as String, attempts: row["attempts"] as Int, error: row["error"] as String) }
        }
        #expect(failed.count == 1)
        let row = try #require(failed.first)
        #expect(row.attempts == 1)
        #expect(row.error == "the last line of standard output is not JSON: 'accuracy: high' (log: \(artifacts)/\(row.id)/stdout.log)")
        #expect(try harness.store.candidates(searchID: id).filter { $0.status == .evaluated }.count == 3)
    }
}

/// The example of the README: `examples/external-trainer.py` on `examples/external-mlp.yaml`.
@Suite struct CommandEvaluatorExampleTests {
    static let trainer = SearchHarness.examples.appendingPathComponent("external-trainer.py").path

    /// python3 with numpy, and the Fashion-MNIST package, are installed.
    static var canRun: Bool {
        guard FileManager.default.fileExists(atPath: "/usr/share/datasets/fashion-mnist/train-images-idx3-ubyte.gz") else { return false }
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = ["python3", "-c", "import numpy"]
        process.standardOutput = FileHandle.nullDevice
        process.standardError = FileHandle.nullDevice
        guard (try? process.run()) != nil else { return false }
        process.waitUntilExit()
        return process.terminationStatus == 0
    }

    @Test(.enabled(if: canRun, "needs python3 with numpy and dataset-fashion-mnist"))
    func exampleTrainerRunsASearchEndToEnd() throws {
        let harness = try SearchHarness()
        let evaluator = try CommandEvaluator(
            commandLine: "python3 '\(Self.trainer)'", artifactsRoot: harness.directory.path("artifacts"), timeoutSeconds: 120)
        let artifacts = evaluator.artifactsRoot
        let space = try SearchHarness.example("external-mlp.yaml")
        let (id, outcome) = try harness.run(space, evaluator: evaluator, budget: 2)
        #expect(outcome == .finished(reason: "budget of 2 evaluations reached"))
        let evaluated = try harness.store.candidates(searchID: id).filter { $0.status == .evaluated }
        #expect(evaluated.count == 2)
        for candidate in evaluated {
            let score = try #require(candidate.score)
            #expect(score > 0.6 && score < 1, "\(candidate.arch): \(score)")
            #expect(FileManager.default.fileExists(atPath: "\(artifacts)/\(candidate.id)/model.npz"))
            #expect(try String(contentsOfFile: "\(artifacts)/\(candidate.id)/stderr.log", encoding: .utf8).contains("epoch 2: loss"))
        }
        let epochs = try harness.store.read { db in try Int.fetchOne(db, sql: "SELECT count(*) FROM epochs") }
        #expect(epochs == 2 * space.training.epochs)
    }
}
