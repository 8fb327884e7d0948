import Foundation
import NASTestSupport
import GRDB
import Testing

/// `layernas search`, `status` and `best` run as a user runs them.
@Suite struct SearchCommandTests {
    static let burger = CommandRunner.example("burger.yaml")

    @Test func searchPrintsTheAnswerAndStatusAndBestAgree() throws {
        let directory = try TemporaryDirectory()
        let db = directory.path("runs/b.db")
        let search = try CommandRunner.run(["search", db, "--space", Self.burger, "--evaluator", "synthetic", "--buckets", "4", "--per-bucket", "2"])
        #expect(search.status == 0, "\(search.stderr)")
        #expect(search.stdout.contains("best: "))
        #expect(search.stderr.contains("search finished: "))
        let status = try CommandRunner.run(["status", db, "--format", "json"])
        #expect(status.status == 0, "\(status.stderr)")
        let json = try #require(try JSONSerialization.jsonObject(with: Data(status.stdout.utf8)) as? [String: Any])
        for key in ["evaluated", "dropped", "failed", "pending"] { #expect(json[key] is Int, "\(key)") }
        #expect(json["finished"] as? Bool == true)
        let bestInStatus = try #require(json["best"] as? [String: Any])
        let best = try CommandRunner.run(["best", db, "--format", "json"])
        let bestJSON = try #require(try JSONSerialization.jsonObject(with: Data(best.stdout.utf8)) as? [String: Any])
        #expect(bestJSON["arch"] as? String == bestInStatus["arch"] as? String)
        #expect(bestJSON["score"] is Double)
        let costs = try #require(bestJSON["costs"] as? [String: Double])
        #expect((8...9).contains(try #require(costs["cost"])))
        #expect((bestJSON["options"] as? [String: String])?.count == 3)
        #expect(search.stdout.contains("best: \(bestJSON["arch"] as? String ?? "?")"))
        #expect(JSONKeys.notSnakeCase(in: json) == [] && JSONKeys.notSnakeCase(in: bestJSON) == [])
        #expect(((json["layers"] as? [[String: Any]])?.first)?["buckets_used"] is Int)
    }

    @Test func specEvaluatorIsTheDefaultTheCommandLineOverridesAndAResumeChecks() throws {
        let directory = try TemporaryDirectory()
        let spec = directory.path("burger-synthetic.yaml")
        let burger = try String(contentsOfFile: Self.burger, encoding: .utf8)
        try (burger + "\nevaluator: synthetic:5\n").write(toFile: spec, atomically: true, encoding: .utf8)
        func storedEvaluator(_ db: String, _ name: String) throws -> String? {
            try DatabaseQueue(path: db).read { db in try String.fetchOne(db, sql: "SELECT evaluator FROM searches WHERE name = ?", arguments: [name]) }
        }
        let db = directory.path("b.db")
        // A custom space needs an evaluator: the spec's stands in for --evaluator.
        let fromSpec = try CommandRunner.run(["search", db, "--space", spec, "--budget", "3", "--quiet"])
        #expect(fromSpec.status == 0, "\(fromSpec.stderr)")
        #expect(try storedEvaluator(db, "burger") == "synthetic:5")
        let overridden = try CommandRunner.run(["search", db, "--name", "other", "--space", spec, "--evaluator", "synthetic", "--budget", "3", "--quiet"])
        #expect(overridden.status == 0, "\(overridden.stderr)")
        #expect(try storedEvaluator(db, "other") == "synthetic")
        #expect(try CommandRunner.run(["search", db, "--name", "burger", "--space", spec, "--budget", "4", "--quiet"]).status == 0)

        let changed = directory.path("burger-changed.yaml")
        try (burger + "\nevaluator: synthetic:6\n").write(toFile: changed, atomically: true, encoding: .utf8)
        let refused = try CommandRunner.run(["search", db, "--name", "burger", "--space", changed])
        #expect(refused.status == 2)
        #expect(refused.stderrLines == ["error: search 'burger' was created with a different space: evaluator: stored synthetic:5, given synthetic:6; use --name to start a new search"])
        let shown = try CommandRunner.run(["space", "show", spec])
        #expect(shown.stdout.contains("evaluator: synthetic:5 (from the spec; --evaluator overrides it)"))
    }

    @Test func resumingWithAChangedSpecIsRefusedAndWritesNothing() throws {
        let directory = try TemporaryDirectory()
        let db = directory.path("b.db")
        #expect(try CommandRunner.run(["search", db, "--space", Self.burger, "--evaluator", "synthetic", "--budget", "3"]).status == 0)
        let changedSpec = directory.path("burger-changed.yaml")
        let text = try String(contentsOfFile: Self.burger, encoding: .utf8).replacingOccurrences(of: "max: 9", with: "max: 10")
        try text.write(toFile: changedSpec, atomically: true, encoding: .utf8)
        let before = FileManager.default.contents(atPath: db)
        let refused = try CommandRunner.run(["search", db, "--space", changedSpec, "--evaluator", "synthetic"])
        #expect(refused.status == 2)
        #expect(refused.stderrLines == ["error: search 'burger' was created with a different space: target: stored cost [8, 9], given cost [8, 10]; use --name to start a new search"])
        #expect(FileManager.default.contents(atPath: db) == before)
        let changedSetting = try CommandRunner.run(["search", db, "--buckets", "7"])
        #expect(changedSetting.status == 2)
        #expect(changedSetting.stderr.contains("--buckets 32, not 7"))
        #expect(FileManager.default.contents(atPath: db) == before)
    }

    @Test func badSearchInputExitsTwoWithOneLine() throws {
        let directory = try TemporaryDirectory()
        let db = directory.path("b.db")
        let cases: [[String]] = [
            ["search", db, "--space", Self.burger, "--evaluator", "synthetic", "--budget", "-5"],
            ["search", db, "--space", Self.burger, "--evaluator", "synthetic", "--buckets", "0"],
            ["search", db, "--space", Self.burger, "--evaluator", "synthetic", "--strategy", "simulated-annealing"],
            ["search", db, "--space", Self.burger, "--evaluator", "table:/nonexistent.csv"],
            ["search", db, "--space", Self.burger],
            ["search", db, "--space", Self.burger, "--evaluator", "synthetic", "--time-limit", "soon"],
            ["search", db],
        ]
        for arguments in cases {
            let result = try CommandRunner.run(arguments)
            #expect(result.status == 2, "\(arguments): \(result.stderr)")
            #expect(result.stderrLines.count == 1, "\(arguments): \(result.stderr)")
        }
    }

    @Test func ctrlCStopsCleanlyWithExit130AndTheSearchResumes() throws {
        let directory = try TemporaryDirectory()
        let spec = try KillResumeTests.writeSlowSpace(in: directory)
        let db = directory.path("s.db")
        let process = Process()
        process.executableURL = URL(fileURLWithPath: CommandRunner.binary)
        process.arguments = ["search", db, "--space", spec, "--evaluator", "synthetic", "--buckets", "20", "--per-bucket", "3", "--quiet"]
        process.standardOutput = FileHandle.nullDevice
        process.standardError = FileHandle.nullDevice
        try process.run()
        try Self.waitForEvaluations(in: db)
        process.interrupt()
        process.waitUntilExit()
        #expect(process.terminationStatus == 130)
        let status = try CommandRunner.run(["status", db, "--format", "json"])
        let json = try #require(try JSONSerialization.jsonObject(with: Data(status.stdout.utf8)) as? [String: Any])
        #expect(json["status"] as? String == "stopped")
        #expect(json["finished"] as? Bool == false)
        #expect((json["evaluated"] as? Int ?? 0) > 0)
        let events = try DatabaseQueue(path: db).read { db in try String.fetchAll(db, sql: "SELECT kind FROM events") }
        #expect(events.contains("interrupted"))
    }

    @Test func aSecondSearchProcessIsRefusedWhileTheFirstRuns() throws {
        let directory = try TemporaryDirectory()
        let spec = try KillResumeTests.writeSlowSpace(in: directory)
        let db = directory.path("s.db")
        let first = Process()
        first.executableURL = URL(fileURLWithPath: CommandRunner.binary)
        first.arguments = ["search", db, "--space", spec, "--evaluator", "synthetic", "--buckets", "20", "--per-bucket", "3", "--quiet"]
        first.standardOutput = FileHandle.nullDevice
        first.standardError = FileHandle.nullDevice
        try first.run()
        defer { if first.isRunning { first.terminate(); first.waitUntilExit() } }
        try Self.waitForEvaluations(in: db)
        let second = try CommandRunner.run(["search", db, "--quiet"])
        #expect(first.isRunning, "the first search ended too early for this test")
        #expect(second.status == 2)
        #expect(second.stderr.contains("is being run by process"), "\(second.stderr)")
        #expect(second.stderr.contains(":\(first.processIdentifier)"))
    }

    @Test func aSecondCtrlCExitsAtOnce() throws {
        let directory = try TemporaryDirectory()
        let script = directory.path("slow.sh")
        // Ignores SIGTERM, so the first Ctrl-C would wait out the 5-second grace period.
        let pidFile = directory.path("command.pid")
        try "trap '' TERM\necho $$ > \(pidFile)\nsleep 8\necho '{\"score\": 0.5}'\n".write(toFile: script, atomically: true, encoding: .utf8)
        let db = directory.path("s.db")
        let process = Process()
        process.executableURL = URL(fileURLWithPath: CommandRunner.binary)
        process.arguments = ["search", db, "--space", Self.burger, "--evaluator", "command:sh \(script)", "--quiet"]
        process.standardOutput = FileHandle.nullDevice
        process.standardError = FileHandle.nullDevice
        try process.run()
        let deadline = Date().addingTimeInterval(60)
        var running = 0
        while running == 0 && Date() < deadline {
            Thread.sleep(forTimeInterval: 0.05)
            running = (try? DatabaseQueue(path: db).read { db in
                try Int.fetchOne(db, sql: "SELECT count(*) FROM candidates WHERE status = 'running'")
            }).flatMap { $0 } ?? 0
        }
        #expect(running > 0)
        // The command itself must have started (a loaded machine can take a moment between the
        // claim and the spawn), or there is no process group to prove stopped.
        while !FileManager.default.fileExists(atPath: pidFile) && Date() < deadline {
            Thread.sleep(forTimeInterval: 0.05)
        }
        Thread.sleep(forTimeInterval: 0.1)
        process.interrupt()
        Thread.sleep(forTimeInterval: 0.3)
        let secondSignal = Date()
        process.interrupt()
        process.waitUntilExit()
        #expect(process.terminationStatus == 130)
        #expect(Date().timeIntervalSince(secondSignal) < 3, "the second Ctrl-C did not exit at once")
        // The running command's process group went down with it.
        let group = try #require(Int32(String(contentsOfFile: pidFile, encoding: .utf8).trimmingCharacters(in: .whitespacesAndNewlines)))
        Thread.sleep(forTimeInterval: 0.3)
        #expect(Self.livingProcesses(inGroup: group).isEmpty, "the command's process group is still alive")
    }

    /// Processes of a process group that are still running (zombies waiting to be reaped by init
    /// do not count).
    static func livingProcesses(inGroup group: Int32) -> [Int32] {
        let entries = (try? FileManager.default.contentsOfDirectory(atPath: "/proc")) ?? []
        return entries.compactMap(Int32.init).filter { pid in
            guard let stat = try? String(contentsOfFile: "/proc/\(pid)/stat", encoding: .utf8),
                  let close = stat.lastIndex(of: ")") else { return false }
            let fields = stat[stat.index(after: close)...].split(separator: " ")
            return fields.count > 2 && fields[0] != "Z" && Int32(fields[2]) == group
        }
    }

    /// Waits until a search running in another process has committed some evaluations (a loaded
    /// machine may take a while to start it).
    static func waitForEvaluations(in path: String, atLeast count: Int = 3, timeout: Double = 60) throws {
        let deadline = Date().addingTimeInterval(timeout)
        while Date() < deadline {
            if FileManager.default.fileExists(atPath: path),
               let done = try? DatabaseQueue(path: path).read({ db in
                   try Int.fetchOne(db, sql: "SELECT count(*) FROM candidates WHERE status = 'evaluated'")
               }), done >= count {
                return
            }
            Thread.sleep(forTimeInterval: 0.05)
        }
        Issue.record("no evaluation was committed within \(timeout)s")
    }
}
