import Foundation
import GRDB
import NASTestSupport
import Testing

/// The shipped Slurm wrappers (`examples/slurm/`) against a real scheduler: `make test-slurm`
/// starts a single-node cluster (`scripts/slurm-test-cluster.sh`) and runs this suite with
/// `SLURM_CONF` set. Without it (as in `make test`) the suite is skipped, saying why.
@Suite(.serialized, .enabled(if: SlurmCluster.isAvailable, SlurmCluster.unavailableReason))
struct SlurmClusterTests {
    static let srunWrapper = CommandRunner.example("slurm/srun-eval.sh")
    static let sbatchWrapper = CommandRunner.example("slurm/sbatch-eval.sh")
    static let spec = CommandRunner.example("fashion-mlp.yaml")

    /// A small real trainer: the built-in trainer on 1,000 images, one thread (so that its score
    /// is the same wherever it runs), answering with the protocol's result line. Before training it
    /// runs `before` (a shell fragment) with the candidate's environment.
    static func trainer(in directory: TemporaryDirectory, before: String = "") throws -> String {
        let path = directory.path("train.sh")
        let script = """
            #!/bin/sh
            \(before)
            result=$('\(CommandRunner.binary)' train --space '\(spec)' --arch "$LAYERNAS_ARCH" --epochs 1 --train-subset 1000 --threads 1 --format json) || exit 3
            printf '%s' "$result" | python3 -c 'import json, sys; print(json.dumps({"score": json.load(sys.stdin)["validation_accuracy"]}))'
            """
        try script.write(toFile: path, atomically: true, encoding: .utf8)
        return path
    }

    static func search(_ db: String, evaluator: String, budget: Int, jobs: Int, extra: [String] = []) throws -> CommandRunner.Result {
        try CommandRunner.run(["search", db, "--space", spec, "--evaluator", evaluator, "--budget", String(budget), "--jobs", String(jobs),
                               "--retries", "2", "--quiet"] + extra)
    }

    /// Searches through `srun` and through `sbatch --wait`, two jobs at a time, end in the state of
    /// the same search run locally; the time each path adds per evaluation is printed.
    @Test func searchesThroughSrunAndSbatchEqualALocalSearch() throws {
        let directory = try TemporaryDirectory()
        let train = try Self.trainer(in: directory)
        var seconds: [String: Double] = [:]
        func timed(_ label: String, _ db: String, _ evaluator: String) throws {
            let start = Date()
            let result = try Self.search(db, evaluator: evaluator, budget: 6, jobs: 2)
            seconds[label] = Date().timeIntervalSince(start)
            #expect(result.status == 0, "\(label): \(result.stderr)")
        }
        try timed("local", directory.path("local.db"), "command:sh \(train)")
        try timed("srun", directory.path("srun.db"), "command:\(Self.srunWrapper) --cpus-per-task=1 -- sh \(train)")
        try timed("sbatch", directory.path("sbatch.db"), "command:\(Self.sbatchWrapper) --cpus-per-task=1 -- sh \(train)")
        let reference = try KillResumeTests.snapshot(directory.path("local.db"))
        #expect(reference.count > 6)
        #expect(try KillResumeTests.snapshot(directory.path("srun.db")) == reference)
        #expect(try KillResumeTests.snapshot(directory.path("sbatch.db")) == reference)
        let localExport = try Self.exportWithoutTimes(directory.path("local.db"))
        #expect(try Self.exportWithoutTimes(directory.path("srun.db")) == localExport)
        #expect(try Self.exportWithoutTimes(directory.path("sbatch.db")) == localExport)
        let local = seconds["local"] ?? 0
        for path in ["srun", "sbatch"] {
            let overhead = ((seconds[path] ?? 0) - local) / 6 * 2
            print(String(format: "slurm overhead per evaluation through %@: %.2f s (6 evaluations, 2 at a time: %.1f s, locally %.1f s)",
                         path, overhead, seconds[path] ?? 0, local))
        }
        #expect(try SlurmCluster.jobs().isEmpty)
    }

    /// The CSV export without its one column that measures time.
    static func exportWithoutTimes(_ db: String) throws -> String {
        let export = try CommandRunner.run(["export", db, "--format", "csv"])
        #expect(export.status == 0, "\(export.stderr)")
        return GoldenExportTests.withoutColumn("seconds", export.stdout)
    }

    /// SIGKILL of `layernas search` while its jobs queue and run: the resume cancels every job of
    /// the killed run before their candidates run again, and ends as an uninterrupted search.
    @Test(arguments: ["srun", "sbatch"])
    func aKilledSearchLeavesNoJobBehindOnceResumed(launcher: String) throws {
        let directory = try TemporaryDirectory()
        let slow = directory.path("slow")
        try Data().write(to: URL(fileURLWithPath: slow))
        let train = try Self.trainer(in: directory, before: "[ -f '\(slow)' ] && sleep 120")
        let wrapper = launcher == "srun" ? Self.srunWrapper : Self.sbatchWrapper
        let evaluator = "command:\(wrapper) --cpus-per-task=\(SlurmCluster.cpus) -- sh \(train)"
        let db = directory.path("killed.db")
        // Each job asks for every CPU of the node, so of two jobs one runs and one waits.
        let jobs = 2
        let process = try CommandRunner.start(["search", db, "--space", Self.spec, "--evaluator", evaluator, "--budget", "6",
                                               "--jobs", String(jobs), "--quiet"])
        let deadline = Date().addingTimeInterval(60)
        var seen: [SlurmCluster.Job] = []
        while Date() < deadline {
            seen = try SlurmCluster.jobs()
            if seen.count >= jobs && seen.contains(where: { $0.state == "PENDING" }) && seen.contains(where: { $0.state == "RUNNING" }) { break }
            Thread.sleep(forTimeInterval: 0.2)
        }
        kill(process.processIdentifier, SIGKILL)
        process.waitUntilExit()
        #expect(seen.count >= jobs, "jobs before the kill: \(seen)")
        #expect(seen.contains { $0.state == "PENDING" } && seen.contains { $0.state == "RUNNING" }, "\(seen)")
        #expect(try SlurmCluster.jobs().count >= jobs, "the killed run's jobs vanished by themselves")

        try FileManager.default.removeItem(atPath: slow)
        let resumed = try Self.search(db, evaluator: evaluator, budget: 6, jobs: jobs)
        #expect(resumed.status == 0, "\(resumed.stderr)")
        let left = try SlurmCluster.jobs()
        #expect(left.filter { job in seen.contains { $0.id == job.id } }.isEmpty, "jobs of the killed run still queued or running: \(left)")

        let reference = directory.path("reference.db")
        #expect(try Self.search(reference, evaluator: "command:sh \(train)", budget: 6, jobs: 1).status == 0)
        #expect(try KillResumeTests.snapshot(db) == KillResumeTests.snapshot(reference))
    }

    /// A job cancelled behind layernas's back is a transient failure: retried, recorded as a
    /// `retry` event, and the candidate is evaluated.
    @Test(arguments: ["srun", "sbatch"])
    func aJobCancelledBehindLayerNASsBackIsRetried(launcher: String) throws {
        let directory = try TemporaryDirectory()
        let train = try Self.trainer(in: directory, before: """
            if [ "$LAYERNAS_ATTEMPT" = 1 ] && [ "$LAYERNAS_CANDIDATE_ID" = 1 ]; then
                echo "$SLURM_JOB_ID" > '\(directory.path("job"))'
                sleep 120
            fi
            """)
        let wrapper = launcher == "srun" ? Self.srunWrapper : Self.sbatchWrapper
        let db = directory.path("cancelled.db")
        let process = try CommandRunner.start(["search", db, "--space", Self.spec, "--evaluator",
                                               "command:\(wrapper) --cpus-per-task=1 -- sh \(train)",
                                               "--budget", "2", "--jobs", "1", "--retries", "2", "--quiet"])
        CommandRunner.waitForFile(directory.path("job"), timeout: 60)
        let job = try String(contentsOfFile: directory.path("job"), encoding: .utf8).trimmingCharacters(in: .whitespacesAndNewlines)
        #expect(try SlurmCluster.run(["scancel", job]).status == 0)
        process.waitUntilExit()
        #expect(process.terminationStatus == 0)
        try Self.expectRetriedOnce(db)
    }

    /// A job that runs past its Slurm time limit is a transient failure, retried like a cancelled
    /// one. Slurm counts limits in whole minutes and enforces them about every 30 s, so this takes
    /// about 90 s and runs through `srun` only: `sbatch --wait` reports a job that ended badly
    /// through the same exit status (tested above with a cancelled job).
    @Test func aJobPastItsTimeLimitIsRetried() throws {
        let directory = try TemporaryDirectory()
        let train = try Self.trainer(in: directory, before: """
            if [ "$LAYERNAS_ATTEMPT" = 1 ] && [ "$LAYERNAS_CANDIDATE_ID" = 1 ]; then sleep 300; fi
            """)
        let db = directory.path("timed-out.db")
        let result = try Self.search(db, evaluator: "command:\(Self.srunWrapper) --cpus-per-task=1 --time=1 -- sh \(train)", budget: 2, jobs: 1)
        #expect(result.status == 0, "\(result.stderr)")
        try Self.expectRetriedOnce(db)
        let reason = try DatabaseQueue(path: db).read { db in
            try String.fetchOne(db, sql: "SELECT message FROM events WHERE kind = 'retry' AND candidate_id = 1")
        }
        #expect(reason?.contains("exited with status") == true, "\(reason ?? "no retry event")")
    }

    /// Candidate 1 was evaluated on its second attempt, after one `retry` event.
    static func expectRetriedOnce(_ db: String) throws {
        let row = try DatabaseQueue(path: db).read { db in
            try Row.fetchOne(db, sql: """
                SELECT c.status, c.attempts, (SELECT count(*) FROM events e WHERE e.candidate_id = c.id AND e.kind = 'retry') AS retries
                FROM candidates c WHERE c.id = 1
                """)
        }
        let found = try #require(row)
        #expect(found["status"] as String == "evaluated" && found["attempts"] as Int == 2 && found["retries"] as Int == 1, "\(found)")
        #expect(try SlurmCluster.jobs().isEmpty)
    }

    /// Ctrl-C of `layernas search` cancels its queued and running jobs.
    @Test(arguments: ["srun", "sbatch"])
    func ctrlCCancelsQueuedAndRunningJobs(launcher: String) throws {
        let directory = try TemporaryDirectory()
        let train = try Self.trainer(in: directory, before: "sleep 120")
        let wrapper = launcher == "srun" ? Self.srunWrapper : Self.sbatchWrapper
        let jobs = 2
        let process = try CommandRunner.start(["search", directory.path("stopped.db"), "--space", Self.spec, "--evaluator",
                                               "command:\(wrapper) --cpus-per-task=\(SlurmCluster.cpus) -- sh \(train)", "--budget", "6",
                                               "--jobs", String(jobs), "--quiet"])
        let deadline = Date().addingTimeInterval(60)
        while Date() < deadline, try SlurmCluster.jobs().count < jobs { Thread.sleep(forTimeInterval: 0.2) }
        let queued = try SlurmCluster.jobs()
        #expect(queued.count >= jobs && queued.contains { $0.state == "PENDING" }, "\(queued)")
        process.interrupt()
        process.waitUntilExit()
        #expect(process.terminationStatus == 130)
        var left = try SlurmCluster.jobs()
        let settle = Date().addingTimeInterval(10)
        while !left.isEmpty && Date() < settle {
            Thread.sleep(forTimeInterval: 0.2)
            left = try SlurmCluster.jobs()
        }
        #expect(left.isEmpty, "jobs left after Ctrl-C: \(left)")
    }
}

/// The cluster `make test-slurm` started, seen through the Slurm commands.
enum SlurmCluster {
    struct Job: Equatable, CustomStringConvertible {
        var id: String
        var name: String
        var state: String
        var description: String { "\(id) \(name) \(state)" }
    }

    /// CPUs of the test node (the whole machine, as the cluster script configures it).
    static var cpus: Int { ProcessInfo.processInfo.activeProcessorCount }

    static var isAvailable: Bool {
        guard ProcessInfo.processInfo.environment["SLURM_CONF"] != nil else { return false }
        return (try? run(["sinfo", "-h", "-o", "%T"]))?.status == 0
    }

    static var unavailableReason: Comment {
        if let reason = ProcessInfo.processInfo.environment["LAYERNAS_SLURM_UNAVAILABLE"], !reason.isEmpty {
            return Comment(rawValue: "no Slurm cluster: \(reason)")
        }
        return "no Slurm cluster: SLURM_CONF is not set or sinfo fails (run `make test-slurm`, which starts one)"
    }

    /// This user's layernas jobs that are queued or running (finished jobs are not listed).
    static func jobs() throws -> [Job] {
        let result = try run(["squeue", "-h", "-u", NSUserName(), "-t", "PENDING,RUNNING,CONFIGURING,COMPLETING,SUSPENDED", "-o", "%i %j %T"])
        return result.stdout.split(separator: "\n").compactMap { line in
            let fields = line.split(separator: " ").map(String.init)
            guard fields.count == 3, fields[1].hasPrefix("layernas-") else { return nil }
            return Job(id: fields[0], name: fields[1], state: fields[2])
        }
    }

    static func run(_ arguments: [String]) throws -> CommandRunner.Result {
        try CommandRunner.run(Array(arguments.dropFirst()), executable: "/usr/bin/\(arguments[0])")
    }
}
