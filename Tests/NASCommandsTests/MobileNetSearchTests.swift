import Foundation
import GRDB
import NASTestSupport
import Testing

/// The `mobilenet` example end to end with the built-in trainer, as a user runs it: a search, a
/// search killed with SIGKILL and resumed, and the PyTorch trainer of `examples/` through the
/// command protocol (docs/ARCHITECTURE.md#mobilenet-family).
///
/// The debug binary trains these networks slowly (every candidate is scored on 10,000 validation
/// images), so the searches are short and train on a few hundred images.
@Suite struct MobileNetSearchTests {
    static let example = CommandRunner.example("fashion-mobilenet.yaml")

    /// One test for both, so the slow trainings of the debug binary are paid once: the
    /// uninterrupted search is checked, then is the reference of the killed one.
    @Test func theExampleSearchesEndToEndAndAKilledResumedSearchEqualsIt() throws {
        let directory = try TemporaryDirectory()
        let arguments = ["--space", Self.example, "--budget", "2", "--train-subset", "128", "--threads", "2", "--quiet"]
        let reference = directory.path("reference.db")
        let result = try CommandRunner.run(["search", reference] + arguments)
        #expect(result.status == 0, "\(result.stderr)")
        let rows = try DatabaseQueue(path: reference).read { db in
            try Row.fetchAll(db, sql: """
                SELECT c.arch, c.score, c.madds, c.params, c.in_window, s.family,
                       (SELECT count(*) FROM epochs e WHERE e.candidate_id = c.id) AS epochs
                FROM candidates c JOIN searches s ON s.id = c.search_id WHERE c.status = 'evaluated' ORDER BY c.seq
                """)
        }
        #expect(rows.count == 2)
        for row in rows {
            let arch: String = row["arch"]
            let score: Double = row["score"]
            #expect(row["family"] as String == "mobilenet")
            #expect((0...1).contains(score), "\(arch): \(score)")
            #expect(row["in_window"] as Int == 1 && row["epochs"] as Int == 1, "\(arch)")
            // The stored costs are the space's: `space cost` agrees, and its pieces add up.
            let cost = try CommandRunner.run(["space", "cost", Self.example, arch, "--format", "json"])
            let json = try #require(try JSONSerialization.jsonObject(with: Data(cost.stdout.utf8)) as? [String: Any])
            let costs = try #require(json["costs"] as? [String: Double])
            #expect(costs["madds"] == Double(row["madds"] as Int) && costs["params"] == Double(row["params"] as Int))
            let pieces = try #require(json["pieces"] as? [[String: Any]])
            #expect(pieces.reduce(0) { $0 + ($1["params"] as? Int ?? 0) } == row["params"] as Int)
        }

        let resumed = directory.path("resumed.db")
        let kills = try KillResumeTests.killAndResume(database: resumed, arguments: arguments, maximumKills: 2,
                                                      interval: 3...20, checkingIntegrity: true)
        print("kill/resume of the mobilenet example: the search survived \(kills) SIGKILLs")
        #expect(kills >= 1)
        #expect(try KillResumeTests.snapshot(resumed) == KillResumeTests.snapshot(reference))
    }

    /// `examples/mobilenet-trainer-torch.py` builds the same network from the request document:
    /// it refuses to train when its parameter count differs from the request's `costs.params`.
    @Test(.enabled(if: TorchPython.available, "no python3 with torch and numpy (nor $LAYERNAS_TORCH_PYTHON); the PyTorch trainer of examples/ is not run"))
    func thePyTorchTrainerBuildsTheNetworkTheRequestDescribes() throws {
        let directory = try TemporaryDirectory()
        let database = directory.path("torch.db")
        let script = CommandRunner.packageRoot.appendingPathComponent("examples/mobilenet-trainer-torch.py").path
        let result = try CommandRunner.run(["search", database, "--space", Self.example, "--budget", "2",
                                            "--train-subset", "512", "--evaluator", "command:\(TorchPython.path) \(script)", "--quiet"])
        #expect(result.status == 0, "\(result.stderr)")
        let rows = try DatabaseQueue(path: database).read { db in
            try Row.fetchAll(db, sql: "SELECT status, params, json_extract(metrics_json, '$.params') AS built, error FROM candidates ORDER BY seq")
        }
        #expect(rows.count == 2)
        for row in rows {
            #expect(row["status"] as String == "evaluated", "\(row)")
            #expect(row["built"] as Int? == row["params"] as Int?)
        }
    }
}

/// A Python that can import torch and numpy, for the PyTorch example trainer: `$LAYERNAS_TORCH_PYTHON`
/// (e.g. `bench/.venv/bin/python` after `make bench-peers`), else `python3` on the PATH.
enum TorchPython {
    static let path = ProcessInfo.processInfo.environment["LAYERNAS_TORCH_PYTHON"] ?? "python3"

    static let available: Bool = {
        (try? CommandRunner.run([path, "-c", "import torch, numpy"], executable: "/usr/bin/env"))?.status == 0
    }()
}
