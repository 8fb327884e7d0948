import Foundation
import NASTestSupport
import GRDB
import Testing

/// The acceptance property of docs/ARCHITECTURE.md#persistence-and-resume: SIGKILL a running search at random moments, resume
/// each time, and end with exactly what an uninterrupted run with the same seed gives.
@Suite struct KillResumeTests {
    /// A custom space of 6^6 = 46656 architectures, big enough that a search takes seconds.
    static func writeSlowSpace(in directory: TemporaryDirectory) throws -> String {
        let costs = [
            [1, 2, 4, 7, 9, 11], [1, 3, 5, 6, 8, 10], [2, 3, 4, 6, 9, 12],
            [1, 2, 5, 8, 9, 10], [1, 4, 5, 7, 8, 11], [2, 3, 6, 7, 10, 13],
        ]
        var text = "name: slow\nfamily: custom\nlayers:\n"
        for (layer, options) in costs.enumerated() {
            let list = options.enumerated().map { "{label: o\($0.offset), cost: \($0.element)}" }.joined(separator: ", ")
            text += "  - {name: l\(layer + 1), options: [\(list)]}\n"
        }
        text += "target: {metric: cost, min: 30, max: 38}\n"
        let path = directory.path("slow.yaml")
        try text.write(toFile: path, atomically: true, encoding: .utf8)
        return path
    }

    /// What must be equal between runs: candidates, scores, lineage, store contents, steps.
    static func snapshot(_ path: String) throws -> [String] {
        try DatabaseQueue(path: path).read { db in
            let queries = [
                "SELECT c.seq, c.arch, c.status, c.score, p.arch, c.layer, c.step FROM candidates c LEFT JOIN candidates p ON p.id = c.parent_id ORDER BY c.seq",
                "SELECT m.layer, m.bucket, m.state, m.offer, m.expanded, c.arch FROM memberships m JOIN candidates c ON c.id = m.candidate_id ORDER BY m.offer",
                "SELECT step, round, layer, parents_json FROM steps ORDER BY step",
                "SELECT arch FROM candidates WHERE status = 'evaluated' AND in_window = 1 ORDER BY score DESC, cost, seq LIMIT 1",
            ]
            return try queries.flatMap { sql in try Row.fetchAll(db, sql: sql).map(\.description) }
        }
    }

    static func checkIntegrity(_ path: String) throws -> (String?, Int) {
        try DatabaseQueue(path: path).read { db in
            (try String.fetchOne(db, sql: "PRAGMA integrity_check"), try Row.fetchAll(db, sql: "PRAGMA foreign_key_check").count)
        }
    }

    /// Runs `layernas search DATABASE ARGUMENTS` again and again, killing it with SIGKILL after a
    /// random time from `interval`, until `maximumKills` kills; the run after that is left to
    /// finish, so a slow machine still ends the search. Checks the file after every kill when
    /// `checkingIntegrity`. Returns the number of kills.
    static func killAndResume(
        database: String, arguments: [String], maximumKills: Int, interval: ClosedRange<Double>,
        checkingIntegrity: Bool = false
    ) throws -> Int {
        var random = SystemRandomNumberGenerator()
        var kills = 0
        while true {
            let process = Process()
            process.executableURL = URL(fileURLWithPath: CommandRunner.binary)
            process.arguments = ["search", database] + arguments
            process.standardOutput = FileHandle.nullDevice
            process.standardError = FileHandle.nullDevice
            try process.run()
            if kills < maximumKills {
                Thread.sleep(forTimeInterval: Double.random(in: interval, using: &random))
            } else {
                process.waitUntilExit()
            }
            guard process.isRunning else {
                process.waitUntilExit()
                #expect(process.terminationStatus == 0, "the resumed search failed")
                return kills
            }
            kill(process.processIdentifier, SIGKILL)
            process.waitUntilExit()
            kills += 1
            if checkingIntegrity, FileManager.default.fileExists(atPath: database) {
                let (integrity, foreignKeyProblems) = try checkIntegrity(database)
                #expect(integrity == "ok")
                #expect(foreignKeyProblems == 0)
            }
        }
    }

    /// Both LayerNAS strategies: the paper's (many steps of several children) and the anytime
    /// default (one child a step, buckets recomputed from the results).
    @Test(arguments: [("layernas-paper", 32), ("layernas", 20)])
    func killedAndResumedSearchEqualsAnUninterruptedOne(strategy: String, kills defaultKills: Int) throws {
        let directory = try TemporaryDirectory()
        let spec = try Self.writeSlowSpace(in: directory)
        // `make kill-loop` raises the number of kills through the environment.
        let environment = ProcessInfo.processInfo.environment
        let maximumKills = environment["LAYERNAS_KILL_LOOP_KILLS"].flatMap(Int.init) ?? defaultKills
        let budget = max(1_200, maximumKills * 40)
        let arguments = ["--space", spec, "--strategy", strategy, "--evaluator", "synthetic", "--buckets", "60", "--per-bucket", "4",
                         "--seed", "5", "--budget", String(budget), "--quiet"]

        let reference = directory.path("reference.db")
        let uninterrupted = try CommandRunner.run(["search", reference] + arguments)
        #expect(uninterrupted.status == 0, "\(uninterrupted.stderr)")

        let resumed = directory.path("resumed.db")
        let kills = try Self.killAndResume(database: resumed, arguments: arguments, maximumKills: maximumKills,
                                           interval: 0.05...0.3, checkingIntegrity: true)
        print("kill/resume: the search survived \(kills) SIGKILLs")
        #expect(kills >= defaultKills - 2, "the search finished before it could be killed \(defaultKills - 2) times")
        #expect(try Self.snapshot(resumed) == Self.snapshot(reference))
        let evaluated = try DatabaseQueue(path: resumed).read { db in
            try Int.fetchOne(db, sql: "SELECT count(*) FROM candidates WHERE status = 'evaluated'")
        }
        let expected = try DatabaseQueue(path: reference).read { db in
            try Int.fetchOne(db, sql: "SELECT count(*) FROM candidates WHERE status = 'evaluated'")
        }
        #expect(evaluated == expected)
        #expect((evaluated ?? 0) >= 400)
    }

    @Test func killedAndResumedTrainerSearchEqualsAnUninterruptedOne() throws {
        let directory = try TemporaryDirectory()
        let spec = try TrainerSearchTests.writeTinySpace(in: directory)
        let arguments = ["--space", spec, "--budget", "9", "--buckets", "4", "--threads", "1", "--quiet"]
        let reference = directory.path("reference.db")
        let uninterrupted = try CommandRunner.run(["search", reference] + arguments)
        #expect(uninterrupted.status == 0, "\(uninterrupted.stderr)")

        let resumed = directory.path("resumed.db")
        let kills = try Self.killAndResume(database: resumed, arguments: arguments, maximumKills: 8, interval: 0.2...1.2)
        print("kill/resume with the trainer: the search survived \(kills) SIGKILLs")
        #expect(kills >= 2)
        #expect(try Self.snapshot(resumed) == Self.snapshot(reference))
    }

    /// An external evaluator whose score depends only on the architecture and which takes a
    /// varying time, so parallel results finish out of order.
    static func writeJitteryCommand(in directory: TemporaryDirectory) throws -> String {
        let script = """
            #!/bin/sh
            hash=$(printf '%s' "$LAYERNAS_ARCH" | cksum | cut -d' ' -f1)
            sleep 0.0$(( ($$ + hash) % 8 ))
            printf '{"score": 0.%03d}\\n' $(( hash % 1000 ))
            """
        let path = directory.path("jittery.sh")
        try script.write(toFile: path, atomically: true, encoding: .utf8)
        return path
    }

    @Test func killedParallelSearchWithAnExternalCommandEqualsASequentialOne() throws {
        let directory = try TemporaryDirectory()
        let spec = try Self.writeSlowSpace(in: directory)
        let command = try Self.writeJitteryCommand(in: directory)
        let common = ["--space", spec, "--evaluator", "command:sh \(command)", "--buckets", "8", "--per-bucket", "2",
                      "--parents", "3", "--children", "3", "--budget", "90", "--quiet"]
        let reference = directory.path("reference.db")
        let sequential = try CommandRunner.run(["search", reference] + common)
        #expect(sequential.status == 0, "\(sequential.stderr)")

        let resumed = directory.path("resumed.db")
        let kills = try Self.killAndResume(database: resumed, arguments: common + ["--jobs", "4"], maximumKills: 10, interval: 0.1...0.8)
        print("kill/resume with --jobs 4 and an external command: survived \(kills) SIGKILLs")
        #expect(try Self.snapshot(resumed) == Self.snapshot(reference))
        // Only evaluations that were unfinished when killed ran again: each extra attempt of a
        // candidate matches a "reclaimed" event in the log, and finished ones have one attempt.
        let attempts = try DatabaseQueue(path: resumed).read { db in
            try Row.fetchAll(db, sql: """
                SELECT c.arch, c.attempts, (SELECT count(*) FROM events e WHERE e.candidate_id = c.id AND e.kind = 'reclaimed') AS reclaimed
                FROM candidates c WHERE c.status = 'evaluated'
                """)
        }
        #expect(!attempts.isEmpty)
        for row in attempts {
            let tries: Int = row["attempts"]
            let reclaimed: Int = row["reclaimed"]
            #expect(tries == reclaimed + 1, "\(row["arch"] as String): \(tries) attempts, \(reclaimed) reclaimed")
        }
        #expect(attempts.contains { ($0["reclaimed"] as Int) > 0 }, "no evaluation was in flight when killed")
    }

    /// Pids of this user's processes whose environment has a `LAYERNAS_REQUEST` under `root`.
    static func commandProcesses(under root: String) -> [pid_t] {
        let entries = (try? FileManager.default.contentsOfDirectory(atPath: "/proc")) ?? []
        let prefix = Array("LAYERNAS_REQUEST=\(root)/".utf8)
        return entries.compactMap { entry -> pid_t? in
            guard let pid = pid_t(entry), let environ = FileManager.default.contents(atPath: "/proc/\(entry)/environ") else { return nil }
            let carries = environ.split(separator: 0).contains { $0.count > prefix.count && $0.prefix(prefix.count).elementsEqual(prefix) }
            return carries ? pid : nil
        }
    }

    @Test func commandLeftRunningByAKilledSearchIsStoppedBeforeItsCandidateRunsAgain() throws {
        let directory = try TemporaryDirectory()
        let spec = try Self.writeSlowSpace(in: directory)
        let flag = directory.path("slow")
        _ = FileManager.default.createFile(atPath: flag, contents: Data())
        let script = """
            #!/bin/sh
            if [ -e "$1" ]; then sleep 60; fi
            echo '{"score": 0.5}'
            """
        let scriptPath = directory.path("maybe-slow.sh")
        try script.write(toFile: scriptPath, atomically: true, encoding: .utf8)
        let database = directory.path("orphan.db")
        let artifacts = URL(fileURLWithPath: directory.path("orphan.db-artifacts")).resolvingSymlinksInPath().path
        let arguments = ["search", database, "--space", spec, "--evaluator", "command:sh \(scriptPath) \(flag)", "--budget", "2", "--quiet"]
        defer { Self.commandProcesses(under: artifacts).forEach { kill($0, SIGKILL) } }

        let search = Process()
        search.executableURL = URL(fileURLWithPath: CommandRunner.binary)
        search.arguments = arguments
        search.standardOutput = FileHandle.nullDevice
        search.standardError = FileHandle.nullDevice
        try search.run()
        var orphans: [pid_t] = []
        for _ in 0..<400 where orphans.count < 2 {  // sh and its sleep, within 20 s
            Thread.sleep(forTimeInterval: 0.05)
            orphans = Self.commandProcesses(under: artifacts)
        }
        kill(search.processIdentifier, SIGKILL)
        search.waitUntilExit()
        try #require(orphans.count >= 1, "the first command never started")
        #expect(Self.commandProcesses(under: artifacts) == orphans, "SIGKILL of layernas does not reach its commands' groups")

        try FileManager.default.removeItem(atPath: flag)
        let resumed = try CommandRunner.run(arguments)
        #expect(resumed.status == 0, "\(resumed.stderr)")
        #expect(Self.commandProcesses(under: artifacts).isEmpty, "the killed search's command is still running")
        let logs = try FileManager.default.contentsOfDirectory(atPath: artifacts).compactMap {
            try? String(contentsOfFile: "\(artifacts)/\($0)/stderr.log", encoding: .utf8)
        }
        #expect(logs.contains { $0.contains("left running for this candidate by an earlier layernas that was killed") })
    }
}
