import Foundation
import GRDB
import NASTestSupport
import Testing

/// `layernas retrain` and `export-model` end to end (README "Retraining the answer"): the answer
/// is retrained with the full recipe, stored with its curve, test accuracy and weights, reported
/// by `status` and `best`, and never trained twice; the search's own rows do not change; bad
/// input is one line with exit 2.
@Suite struct RetrainCommandTests {
    /// A search over `examples/fashion-mlp.yaml` scored by the synthetic evaluator (no training).
    static func mlpSearch(in directory: TemporaryDirectory, name: String = "m.db") throws -> String {
        let database = directory.path(name)
        let search = try CommandRunner.run(["search", database, "--space", CommandRunner.example("fashion-mlp.yaml"),
                                            "--evaluator", "synthetic", "--budget", "6", "--quiet"])
        #expect(search.status == 0, "\(search.stderr)")
        return database
    }

    static func json(_ text: String) throws -> [String: Any] {
        try #require(try JSONSerialization.jsonObject(with: Data(text.utf8)) as? [String: Any])
    }

    static func searchRows(_ database: String) throws -> [String] {
        try DatabaseQueue(path: database).read { db in
            try String.fetchAll(db, sql: "SELECT id || arch || status || quote(score) || seq || offered FROM candidates ORDER BY id")
                + String.fetchAll(db, sql: "SELECT name || status || elapsed_seconds || updated_at FROM searches")
        }
    }

    @Test func theAnswerIsRetrainedStoredAndReportedOnce() throws {
        let directory = try TemporaryDirectory()
        let database = try Self.mlpSearch(in: directory)
        let searchRowsBefore = try Self.searchRows(database)
        let best = try Self.json(try CommandRunner.run(["best", database, "--format", "json"]).stdout)
        let arguments = ["retrain", database, "--epochs", "2", "--train-subset", "2000", "--threads", "1"]

        // When the answer is retrained
        let first = try CommandRunner.run(arguments)
        #expect(first.status == 0, "\(first.stderr)")
        // Then it shows progress per epoch on stderr and the test accuracy once at the end
        #expect(first.stderr.contains("epoch 1/2: loss ") && first.stderr.contains("epoch 2/2: loss "))
        #expect(first.stdout.contains("retrained: \(best["arch"] as? String ?? "?") (candidate \(best["candidate_id"] as? Int ?? -1))"))
        let accuracyLine = try #require(first.stdout.split(separator: "\n").first { $0.hasPrefix("test accuracy: ") })
        let testAccuracy = try #require(Double(accuracyLine.dropFirst("test accuracy: ".count)))
        #expect(testAccuracy > 0.6 && testAccuracy < 1)

        // And the retraining is stored with its recipe, curve, accuracy and weights
        let row = try DatabaseQueue(path: database).read { db in
            try #require(try Row.fetchOne(db, sql: """
                SELECT candidate_id, status, epochs, completed_epochs, threads, validation, train_images, test_accuracy,
                       weights_location, weights_bytes, checkpoint_bytes, json_extract(recipe_json, '$.epochs') AS recipe_epochs,
                       (SELECT count(*) FROM retraining_epochs) AS curve_points
                FROM retraining_details
                """))
        }
        let candidateID: Int? = row["candidate_id"]
        #expect(candidateID == best["candidate_id"] as? Int)
        let rowStatus: String? = row["status"]
        #expect(rowStatus == "finished")
        let counts: [Int?] = ["epochs", "completed_epochs", "recipe_epochs", "threads", "validation", "train_images", "curve_points"].map { row[$0] }
        #expect(counts == [2, 2, 2, 1, 0, 2000, 2])
        #expect(abs((row["test_accuracy"] as Double? ?? 0) - testAccuracy) < 5e-5)
        #expect(row["weights_location"] == "retrainings.weights" && (row["weights_bytes"] as Int? ?? 0) > 4 * 100_000)
        #expect(row["checkpoint_bytes"] as Int? == nil)

        // And the same command again reports the stored result without training
        let again = try CommandRunner.run(arguments + ["--format", "json"])
        #expect(again.status == 0, "\(again.stderr)")
        let report = try Self.json(again.stdout)
        #expect(report["retraining_id"] as? Int == 1 && report["test_accuracy"] as? Double == row["test_accuracy"])
        #expect((report["curve"] as? [Any])?.count == 2)
        #expect(try DatabaseQueue(path: database).read { db in try Int.fetchOne(db, sql: "SELECT count(*) FROM retrainings") } == 1)

        // And status and best show it; the search's own rows never changed
        let status = try CommandRunner.run(["status", database])
        #expect(status.stdout.contains("retraining 1: \(best["arch"] as? String ?? "?")") && status.stdout.contains("2 epochs, test accuracy"))
        let bestAfter = try Self.json(try CommandRunner.run(["best", database, "--format", "json"]).stdout)
        #expect((bestAfter["retraining"] as? [String: Any])?["test_accuracy"] as? Double == row["test_accuracy"])
        #expect(try Self.searchRows(database) == searchRowsBefore)
    }

    @Test func validationKeepsTheSplitAndAnArchitectureCanBeNamed() throws {
        let directory = try TemporaryDirectory()
        let database = try Self.mlpSearch(in: directory)
        let result = try CommandRunner.run(["retrain", database, "--arch", "64-skip-skip-32", "--validation", "--epochs", "1",
                                            "--train-subset", "1000", "--threads", "1", "--seed", "7", "--schedule", "constant",
                                            "--format", "json"])
        #expect(result.status == 0, "\(result.stderr)")
        let report = try Self.json(result.stdout)
        #expect(report["arch"] as? String == "64-skip-skip-32" && report["seed"] as? Int == 7 && report["validation"] as? Bool == true)
        #expect((report["final_validation_accuracy"] as? Double ?? 0) > 0.2)  // above chance after one short epoch
        let recipe = try DatabaseQueue(path: database).read { db in
            try String.fetchOne(db, sql: "SELECT json_extract(recipe_json, '$.schedule') || json_extract(recipe_json, '$.seed') FROM retrainings")
        }
        #expect(recipe == "constant7")
    }

    @Test func badInputIsOneLineWithExitTwoAndChangesNothing() throws {
        let directory = try TemporaryDirectory()
        let database = try Self.mlpSearch(in: directory)
        let before = try Self.searchRows(database)
        let cases: [([String], String)] = [
            (["--epochs", "0"], "--epochs: must be between 1 and 10000, got 0"),
            (["--candidate", "999"], "--candidate: search 'fashion-mlp' has no candidate 999"),
            (["--arch", "64-nope-skip-32"], "--arch: "),
            (["--candidate", "1", "--arch", "64-skip-skip-32"], "--candidate and --arch: give one of them, not both"),
            (["--output", directory.path("model.txt")], "name a .onnx file"),
            (["--threads", "0"], "--threads: must be between 1 and 1024, got 0"),
            (["--train-subset", "70000"], "--train-subset: must be between 1 and 60000, got 70000"),
            (["--learning-rate", "-1"], "--learning-rate: must be in (0, 100], got -1.0"),
        ]
        for (arguments, message) in cases {
            let result = try CommandRunner.run(["retrain", database] + arguments)
            #expect(result.status == 2, "\(arguments): \(result.stderr)")
            #expect(result.stderrLines.count == 1 && result.stderr.contains(message), "\(arguments): \(result.stderr)")
        }
        #expect(try Self.searchRows(database) == before)
        #expect(try DatabaseQueue(path: database).read { db in try Int.fetchOne(db, sql: "SELECT count(*) FROM retrainings") } == 0)

        // A custom space has no network to train.
        let burger = directory.path("burger.db")
        _ = try CommandRunner.run(["search", burger, "--space", CommandRunner.example("burger.yaml"), "--evaluator", "synthetic", "--budget", "3", "--quiet"])
        let custom = try CommandRunner.run(["retrain", burger])
        #expect(custom.status == 2 && custom.stderr.contains("retrain needs an mlp, cnn or mobilenet space"), "\(custom.stderr)")

        // export-model before any retraining says what to run first.
        let export = try CommandRunner.run(["export-model", database, "--output", directory.path("m.onnx")])
        #expect(export.status == 1 && export.stderr.contains("has no finished retraining; run 'layernas retrain"), "\(export.stderr)")
        let unknown = try CommandRunner.run(["export-model", database, "--retraining", "5", "--output", directory.path("m.onnx")])
        #expect(unknown.status == 2 && unknown.stderr.contains("--retraining: search 'fashion-mlp' has no retraining 5"))
        #expect(!FileManager.default.fileExists(atPath: directory.path("m.onnx")))
    }

    @Test func aDivergedRetrainingIsOneLineThatSaysWhatToChange() throws {
        let directory = try TemporaryDirectory()
        let database = try Self.mlpSearch(in: directory)
        let result = try CommandRunner.run(["retrain", database, "--learning-rate", "100", "--schedule", "constant", "--epochs", "1",
                                            "--train-subset", "1000", "--threads", "1", "--quiet"])
        #expect(result.status == 1, "\(result.stderr)")
        #expect(result.stderrLines.count == 1 && result.stderr.contains("training diverged")
                 && result.stderr.contains("another --learning-rate"), "\(result.stderr)")
    }
}
