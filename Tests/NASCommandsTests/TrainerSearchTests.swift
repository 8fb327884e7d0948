import Foundation
import NASTestSupport
import GRDB
import Testing

/// End-to-end searches and trainings on real Fashion-MNIST data, with tiny budgets.
@Suite struct TrainerSearchTests {
    /// A small MLP space whose candidates train in about a second each.
    static func writeTinySpace(in directory: TemporaryDirectory) throws -> String {
        let text = """
            name: tiny-mlp
            family: mlp
            input: [28, 28, 1]
            classes: 10
            layers:
              - options: [16, 32, 64]
              - options: [0, 16, 32]
            target: {metric: params, min: 13000, max: 52000}
            training: {epochs: 1, train_subset: 2000, batch_size: 64, learning_rate: 0.05, seed: 3}
            """
        let path = directory.path("tiny.yaml")
        try text.write(toFile: path, atomically: true, encoding: .utf8)
        return path
    }

    static func scores(_ path: String) throws -> [String] {
        try DatabaseQueue(path: path).read { db in
            try String.fetchAll(db, sql: "SELECT arch || '=' || quote(score) FROM candidates WHERE status = 'evaluated' ORDER BY seq")
        }
    }

    @Test func searchTrainsRealNetworksAndStoresCurvesAndRecipes() throws {
        let directory = try TemporaryDirectory()
        let spec = try Self.writeTinySpace(in: directory)
        let db = directory.path("t.db")
        let result = try CommandRunner.run(["search", db, "--space", spec, "--budget", "4", "--buckets", "4", "--threads", "2"])
        #expect(result.status == 0, "\(result.stderr)")
        #expect(result.stdout.contains("best: "))
        let rows = try DatabaseQueue(path: db).read { db in
            try Row.fetchAll(db, sql: "SELECT score, recipe_json, seed, epochs, metrics_json FROM candidates WHERE status = 'evaluated'")
        }
        #expect(rows.count == 4)
        for row in rows {
            let score: Double = row["score"]
            #expect(score > 0.3 && score <= 1, "validation accuracy \(score) is not what a trained MLP reaches")
            #expect((row["recipe_json"] as String?)?.contains("\"trainSubset\":2000") == true)
            #expect(row["seed"] as Int64? == 3)
            #expect(row["epochs"] as Int? == 1)
            #expect((row["metrics_json"] as String?)?.contains("train_loss") == true)
        }
        let curves = try DatabaseQueue(path: db).read { db in try Int.fetchOne(db, sql: "SELECT count(*) FROM epochs") }
        #expect(curves == 4)
    }

    @Test func pooledCNNWithFlattenHeadTrainsToItsCountedParameters() throws {
        // The example's conv + max-pool blocks and flattening head, trained for real: the network
        // the trainer builds has exactly the parameters the cost model counts, and it learns.
        let result = try CommandRunner.run(["train", "--space", CommandRunner.example("fashion-cnn-pooled.yaml"),
                                            "--arch", "c8k3s1p2-c16k3s1p2", "--train-subset", "1000", "--format", "json"])
        #expect(result.status == 0, "\(result.stderr)")
        let json = try #require(try JSONSerialization.jsonObject(with: Data(result.stdout.utf8)) as? [String: Any])
        let cost = try CommandRunner.run(["space", "cost", CommandRunner.example("fashion-cnn-pooled.yaml"), "c8k3s1p2-c16k3s1p2", "--format", "json"])
        let costs = try #require((try JSONSerialization.jsonObject(with: Data(cost.stdout.utf8)) as? [String: Any])?["costs"] as? [String: Double])
        // 8·9 + 8; 16·9·8 + 16; head on 7·7·16 = 784 features.
        #expect(costs["params"] == Double(80 + 1_168 + 7_850))
        #expect(json["params"] as? Int == Int(costs["params"] ?? 0), "trainer and cost model disagree: \(result.stdout)")
        #expect((json["validation_accuracy"] as? Double ?? 0) > 0.3, "\(result.stdout)")
    }

    @Test func sameSeedAndThreadsGiveIdenticalScores() throws {
        let directory = try TemporaryDirectory()
        let spec = try Self.writeTinySpace(in: directory)
        for (name, jobs) in [("a.db", "1"), ("b.db", "1"), ("c.db", "2")] {
            let result = try CommandRunner.run(["search", directory.path(name), "--space", spec, "--budget", "3", "--threads", "1", "--jobs", jobs, "--quiet"])
            #expect(result.status == 0, "\(result.stderr)")
        }
        let first = try Self.scores(directory.path("a.db"))
        #expect(first.count == 3)
        #expect(try Self.scores(directory.path("b.db")) == first)
        #expect(try Self.scores(directory.path("c.db")) == first, "two trainings at once changed the scores")
    }

    @Test func trainReportsAccuracyAndAFastKernelByItself() throws {
        let directory = try TemporaryDirectory()
        let spec = try Self.writeTinySpace(in: directory)
        let result = try CommandRunner.run(["train", "--space", spec, "--arch", "32-16", "--format", "json", "--verbose", "--test"])
        #expect(result.status == 0, "\(result.stderr)")
        let json = try #require(try JSONSerialization.jsonObject(with: Data(result.stdout.utf8)) as? [String: Any])
        for key in ["validation_accuracy", "test_accuracy", "seconds", "samples_per_second", "blas_kernel"] {
            #expect(json[key] != nil, "\(key) missing")
        }
        #expect((json["validation_accuracy"] as? Double ?? 0) > 0.3)
        // The recipe and the per-epoch curve follow the same key style as every other report.
        #expect(JSONKeys.notSnakeCase(in: json) == [])
        #expect((json["recipe"] as? [String: Any])?["batch_size"] is Int)
        #expect(((json["epochs"] as? [[String: Any]])?.first)?["train_loss"] is Double)
        let cpuinfo = (try? String(contentsOfFile: "/proc/cpuinfo", encoding: .utf8)) ?? ""
        if ProcessInfo.processInfo.environment["OPENBLAS_CORETYPE"] == nil, cpuinfo.contains("avx512f") || cpuinfo.contains("avx2") {
            #expect(json["blas_kernel"] as? String != "Prescott")
            #expect(result.stderr.contains("set by layernas from the CPU flags"))
        }
    }

    @Test func userSetCoreTypeIsRespected() throws {
        let directory = try TemporaryDirectory()
        let spec = try Self.writeTinySpace(in: directory)
        let process = Process()
        process.executableURL = URL(fileURLWithPath: CommandRunner.binary)
        process.arguments = ["train", "--space", spec, "--arch", "16-skip", "--train-subset", "500", "--format", "json"]
        var environment = ProcessInfo.processInfo.environment
        environment["OPENBLAS_CORETYPE"] = "Haswell"
        environment["LAYERNAS_REEXECED"] = nil
        process.environment = environment
        let out = Pipe()
        process.standardOutput = out
        process.standardError = FileHandle.nullDevice
        try process.run()
        let data = out.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        #expect(process.terminationStatus == 0)
        let json = try #require(try JSONSerialization.jsonObject(with: data) as? [String: Any])
        #expect(json["blas_kernel"] as? String == "Haswell")
    }

    @Test func badTrainInputExitsTwo() throws {
        let directory = try TemporaryDirectory()
        let spec = try Self.writeTinySpace(in: directory)
        for arguments in [
            ["train", "--space", spec, "--arch", "32-99"],
            ["train", "--space", spec, "--arch", "32-16", "--epochs", "0"],
            ["train", "--space", CommandRunner.example("burger.yaml"), "--arch", "A-B-C"],
        ] {
            let result = try CommandRunner.run(arguments)
            #expect(result.status == 2, "\(arguments): \(result.stderr)")
            #expect(result.stderrLines.count == 1, "\(arguments): \(result.stderr)")
        }
    }

    @Test func recipeOverridesAreStoredWithTheSearchAndCheckedOnResume() throws {
        let directory = try TemporaryDirectory()
        let spec = try Self.writeTinySpace(in: directory)
        let db = directory.path("o.db")
        let first = try CommandRunner.run(["search", db, "--space", spec, "--budget", "1", "--train-subset", "1000", "--epochs", "2", "--quiet"])
        #expect(first.status == 0, "\(first.stderr)")
        let recipe = try DatabaseQueue(path: db).read { db in
            try String.fetchOne(db, sql: "SELECT recipe_json FROM candidates WHERE status = 'evaluated'")
        }
        #expect(recipe?.contains("\"trainSubset\":1000") == true)
        #expect(recipe?.contains("\"epochs\":2") == true)
        let changed = try CommandRunner.run(["search", db, "--space", spec, "--budget", "2", "--train-subset", "1500", "--epochs", "2"])
        #expect(changed.status == 2)
        #expect(changed.stderr.contains("training.train_subset: stored 1000, given 1500"), "\(changed.stderr)")
        let same = try CommandRunner.run(["search", db, "--space", spec, "--budget", "2", "--train-subset", "1000", "--epochs", "2", "--quiet"])
        #expect(same.status == 0, "\(same.stderr)")
    }
}
