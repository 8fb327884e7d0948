import Foundation
import NASTestSupport
import Synchronization
import Testing
@testable import NASSearch
import NASSpace
#if canImport(Glibc)
import Glibc
#endif

/// Real subprocess evaluations: small `sh` scripts written to a temporary directory play the
/// external trainer.
@Suite struct CommandEvaluatorProcessTests {
    /// A temporary directory with a script in it and an artifacts root.
    struct World {
        let directory: TemporaryDirectory
        let space: SearchSpace

        init(space: String = "burger.yaml") throws {
            directory = try TemporaryDirectory()
            self.space = try SearchHarness.example(space)
        }

        /// The artifacts root, as the evaluator reports it (symbolic links in the temporary
        /// directory's path resolved).
        var artifacts: String { directory.url.resolvingSymlinksInPath().path + "/artifacts" }

        /// Writes `body` as an executable `sh` script and returns an evaluator running it.
        func evaluator(_ body: String, timeout: Double? = nil, killGrace: Double = 0.3) throws -> CommandEvaluator {
            let script = directory.path("trainer.sh")
            try ("#!/bin/sh\n" + body + "\n").write(toFile: script, atomically: true, encoding: .utf8)
            chmod(script, 0o755)
            return try CommandEvaluator(commandLine: "'\(script)' --flag 'two words'", artifactsRoot: artifacts,
                                        timeoutSeconds: timeout, killGrace: killGrace)
        }

        func request(key: String = "C-B-D", candidateID: Int64 = 7, attempt: Int = 1,
                     isCancelled: @escaping @Sendable () -> Bool = { false }) throws -> EvaluationRequest {
            let architecture = try space.architecture(key: key)
            return EvaluationRequest(
                searchName: "burger", candidateID: candidateID, attempt: attempt, architecture: architecture, key: key,
                space: space, costs: space.costs(of: architecture), isCancelled: isCancelled)
        }

        func file(_ candidateID: Int64, _ name: String) -> String {
            artifacts + "/\(candidateID)/" + name
        }

        func read(_ candidateID: Int64, _ name: String) throws -> String {
            try String(contentsOfFile: file(candidateID, name), encoding: .utf8)
        }
    }

    /// Evaluates `request` and returns the error it threw (nil when it returned a result).
    func failure(_ evaluator: CommandEvaluator, _ request: EvaluationRequest) -> EvaluationError? {
        do {
            _ = try evaluator.evaluate(request)
            return nil
        } catch {
            return error
        }
    }

    /// Whether `pid` is a live process (zombies count as dead).
    static func isAlive(_ pid: pid_t) -> Bool {
        guard let stat = try? String(contentsOfFile: "/proc/\(pid)/stat", encoding: .utf8),
              let close = stat.lastIndex(of: ")") else { return false }
        let state = stat[stat.index(close, offsetBy: 2)]
        return state != "Z" && state != "X"
    }

    /// Whether `pid` is dead within `seconds` (SIGKILL is delivered asynchronously: the killed
    /// process may still be scheduled for a moment after `kill` returns).
    static func dies(_ pid: pid_t, within seconds: Double = 5) -> Bool {
        let end = Date().addingTimeInterval(seconds)
        while isAlive(pid) {
            if Date() > end { return false }
            usleep(10_000)
        }
        return true
    }

    // MARK: - Success

    @Test func successReturnsScoreMetricsAndCurveAndKeepsLogsInTheWorkdir() throws {
        let world = try World()
        let evaluator = try world.evaluator("""
            echo "training $LAYERNAS_ARCH" >&2
            echo "epoch 1"
            echo '{"score": 0.875, "metrics": {"loss": 0.25}, "curve": [{"epoch": 1, "train_loss": 0.5, "validation_accuracy": 0.8}, {"epoch": 2, "train_loss": 0.25, "validation_accuracy": 0.875}]}'
            echo
            """)
        let result = try evaluator.evaluate(try world.request())
        #expect(result.score == 0.875)
        #expect(result.metrics == ["loss": 0.25])
        #expect(result.curve.map(\.validationAccuracy) == [0.8, 0.875])
        #expect(result.recipe == world.space.training)
        let stdout = try world.read(7, "stdout.log")
        #expect(stdout.hasPrefix("--- layernas: search burger, candidate 7 (C-B-D), attempt 1, "))
        #expect(stdout.contains("epoch 1\n"))
        #expect(try world.read(7, "stderr.log").contains("training C-B-D\n"))
        #expect(FileManager.default.fileExists(atPath: world.file(7, "request.json")))
    }

    @Test func requestDocumentAndEnvironmentCarryWhatIsPromised() throws {
        let world = try World(space: "external-mlp.yaml")
        let evaluator = try world.evaluator("""
            cat > "$LAYERNAS_WORKDIR/stdin.json"
            env | grep '^LAYERNAS_' | sort > "$LAYERNAS_WORKDIR/env.txt"
            printf '%s\\n' "$@" > "$LAYERNAS_WORKDIR/args.txt"
            pwd > "$LAYERNAS_WORKDIR/pwd.txt"
            echo "{\\"score\\": 0.5, \\"metrics\\": {\\"pid\\": $$, \\"pgid\\": $(cut -d' ' -f5 /proc/$$/stat)}}"
            """)
        let result = try evaluator.evaluate(try world.request(key: "64-32-skip", candidateID: 42, attempt: 3))
        let workdir = world.artifacts + "/42"

        let stdin = try CommandEvaluator.RequestDocument.decoded(from: Data(try world.read(42, "stdin.json").utf8))
        let file = try CommandEvaluator.RequestDocument.decoded(from: Data(try world.read(42, "request.json").utf8))
        #expect(stdin == file)
        #expect(stdin.protocolVersion == 1 && stdin.search == "burger" && stdin.candidateID == 42 && stdin.attempt == 3)
        #expect(stdin.arch == "64-32-skip" && stdin.workdir == workdir && stdin.family == "mlp")
        #expect(stdin.layers.map(\.label) == ["64", "32", "skip"])
        #expect(stdin.layers.map(\.units) == [64, 32, 0])
        #expect(stdin.layers.map(\.name) == ["hidden1", "hidden2", "hidden3"])
        #expect(stdin.layers.map(\.option) == [2, 1, 0])
        let architecture = try world.space.architecture(key: "64-32-skip")
        let costs = world.space.costs(of: architecture)
        #expect(stdin.costs == ["madds": Double(try #require(costs.madds)), "params": Double(try #require(costs.params))])
        #expect(stdin.seed == world.space.training.seed)
        #expect(stdin.training.epochs == world.space.training.epochs && stdin.training.trainSubset == world.space.training.trainSubset)
        #expect(stdin.target.metric == .params)

        let environment = try world.read(42, "env.txt")
        for line in [
            "LAYERNAS_ARCH=64-32-skip", "LAYERNAS_ATTEMPT=3", "LAYERNAS_CANDIDATE_ID=42", "LAYERNAS_REQUEST=\(workdir)/request.json",
            "LAYERNAS_SEARCH=burger", "LAYERNAS_SEED=\(world.space.training.seed)", "LAYERNAS_WORKDIR=\(workdir)",
        ] {
            #expect(environment.contains(line + "\n"), "\(line)")
        }
        #expect(try world.read(42, "args.txt") == "--flag\ntwo words\n")
        #expect(try world.read(42, "pwd.txt") == FileManager.default.currentDirectoryPath + "\n")
        // Its own process group, led by itself.
        #expect(result.metrics["pgid"] == result.metrics["pid"])
        #expect(result.metrics["pgid"] != Double(getpgrp()))
    }

    @Test func anArtifactsRootLinkedElsewhereIsPassedResolved() throws {
        let world = try World()
        let shared = world.directory.path("shared")
        try FileManager.default.createDirectory(atPath: shared, withIntermediateDirectories: true)
        try FileManager.default.createSymbolicLink(atPath: world.artifacts, withDestinationPath: shared)
        let evaluator = try world.evaluator("echo \"$LAYERNAS_WORKDIR\" > \"$LAYERNAS_WORKDIR/where\"; echo '{\"score\": 1}'")
        _ = try evaluator.evaluate(try world.request())
        let real = URL(fileURLWithPath: shared).resolvingSymlinksInPath().path
        #expect(evaluator.artifactsRoot == real)
        #expect(try String(contentsOfFile: shared + "/7/where", encoding: .utf8) == real + "/7\n")
    }

    @Test func theCommandStartsWithDefaultSignalsEvenWhenLayernasIgnoresThem() throws {
        let world = try World()
        let evaluator = try world.evaluator("""
            mask=$(grep '^SigIgn:' /proc/self/status | cut -f2)
            echo "{\\"score\\": 1, \\"metrics\\": {\\"int\\": $(( (0x$mask >> 1) & 1 )), \\"term\\": $(( (0x$mask >> 14) & 1 ))}}"
            """)
        // layernas ignores SIGINT and SIGTERM to handle them itself; ignored signals survive exec.
        let previousInt = signal(SIGINT, SIG_IGN)
        let previousTerm = signal(SIGTERM, SIG_IGN)
        defer {
            signal(SIGINT, previousInt)
            signal(SIGTERM, previousTerm)
        }
        let status = try String(contentsOfFile: "/proc/self/status", encoding: .utf8)
        let ours = try #require(status.split(separator: "\n").first { $0.hasPrefix("SigIgn:") }?.split(separator: "\t").last)
        #expect(UInt64(ours, radix: 16).map { $0 & (1 << 14) != 0 } == true, "the test could not ignore SIGTERM")
        let metrics = try evaluator.evaluate(try world.request()).metrics
        #expect(metrics == ["int": 0, "term": 0])
    }

    // MARK: - Failures

    @Test func nonZeroExitIsTransientWithStatusLastStderrLineAndLogPath() throws {
        let world = try World()
        let evaluator = try world.evaluator("""
            echo "loading data" >&2
            echo "RuntimeError: CUDA out of memory" >&2
            echo '{"score": 0.9}'
            exit 3
            """)
        let error = failure(evaluator, try world.request())
        #expect(error == .transient("command exited with status 3: RuntimeError: CUDA out of memory (log: \(world.file(7, "stderr.log")))"))
    }

    @Test func deathBySignalIsTransient() throws {
        let world = try World()
        let evaluator = try world.evaluator("echo 'Segfault soon' >&2\nkill -SEGV $$")
        let error = failure(evaluator, try world.request())
        guard case .transient(let reason)? = error else { Issue.record("expected transient, got \(String(describing: error))"); return }
        #expect(reason.hasPrefix("command was killed by signal 11 ("))
        #expect(reason.contains("Segfault soon"))
    }

    @Test(arguments: [
        ("echo 'all done, accuracy 91%'", "the last line of standard output is not JSON: 'all done, accuracy 91%'"),
        ("echo '{\"score\": 0.9}'; echo 'bye'", "is not JSON: 'bye'"),
        ("echo '{\"accuracy\": 0.9}'", "has no \"score\""),
        ("echo '{\"score\": NaN}'", "\"score\" must be finite, got nan"),
        ("echo '{\"score\": -Infinity, \"metrics\": {}}'", "\"score\" must be finite, got -inf"),
        ("echo 'only stderr' >&2", "command printed nothing on standard output"),
        ("echo '{\"error\": \"diverged at epoch 3\"}'", "the command reported: diverged at epoch 3"),
    ])
    func badOutputIsAPermanentFailureNamingTheLog(body: String, message: String) throws {
        let world = try World()
        let evaluator = try world.evaluator(body)
        let error = failure(evaluator, try world.request())
        guard case .failed(let reason)? = error else { Issue.record("expected failed, got \(String(describing: error))"); return }
        #expect(reason.contains(message), "\(reason)")
        #expect(reason.hasSuffix("(log: \(world.file(7, "stdout.log")))"))
    }

    @Test func hugeOutputNeitherBlocksNorIsHeldInMemory() throws {
        let world = try World()
        // 50 MB on stdout (one 30 MB line, then 20 MB of short lines), 10 MB on stderr, then the result.
        let evaluator = try world.evaluator("""
            head -c 30000000 /dev/zero | tr '\\0' 'x'
            echo
            yes 'progress line' | head -c 20000000
            echo
            yes 'warning' | head -c 10000000 >&2
            echo '{"score": 0.625}'
            """)
        let result = try evaluator.evaluate(try world.request())
        #expect(result.score == 0.625)
        let size = try #require(try FileManager.default.attributesOfItem(atPath: world.file(7, "stdout.log"))[.size] as? NSNumber)
        #expect(size.intValue > 50_000_000)
    }

    @Test func aResultLineLongerThanTheLimitIsRefused() throws {
        let world = try World()
        let evaluator = try world.evaluator("head -c 3000000 /dev/zero | tr '\\0' ' '; printf '{\"score\": 0.5, \"pad\": \"'; head -c 2000000 /dev/zero | tr '\\0' 'x'; echo '\"}'")
        let error = failure(evaluator, try world.request())
        guard case .failed(let reason)? = error else { Issue.record("expected failed, got \(String(describing: error))"); return }
        #expect(reason.contains("longer than 1048576 bytes"))
    }

    @Test func timeoutKillsTheWholeProcessGroupEvenWhenItIgnoresSIGTERM() throws {
        let world = try World()
        let evaluator = try world.evaluator("""
            trap '' TERM
            sleep 1000 &
            echo $! > "$LAYERNAS_WORKDIR/child.pid"
            echo $$ > "$LAYERNAS_WORKDIR/parent.pid"
            wait
            """, timeout: 1, killGrace: 0.3)
        let started = Date()
        let error = failure(evaluator, try world.request())
        #expect(Date().timeIntervalSince(started) < 5)
        #expect(error == .transient("command timed out after 1s; its process group was killed (log: \(world.file(7, "stderr.log")))"))
        let parent = try #require(pid_t(try world.read(7, "parent.pid").trimmingCharacters(in: .whitespacesAndNewlines)))
        let child = try #require(pid_t(try world.read(7, "child.pid").trimmingCharacters(in: .whitespacesAndNewlines)))
        #expect(Self.dies(parent))
        #expect(Self.dies(child), "the sleep 1000 child survived")
    }

    @Test func processesLeftBehindByAFinishedCommandAreKilled() throws {
        let world = try World()
        let evaluator = try world.evaluator("""
            sleep 1000 > /dev/null 2>&1 &
            echo $! > "$LAYERNAS_WORKDIR/child.pid"
            echo '{"score": 0.5}'
            """)
        _ = try evaluator.evaluate(try world.request())
        let child = try #require(pid_t(try world.read(7, "child.pid").trimmingCharacters(in: .whitespacesAndNewlines)))
        #expect(Self.dies(child))
    }

    @Test func cancellationKillsTheGroupAndThrowsCancelled() throws {
        let world = try World()
        let evaluator = try world.evaluator("""
            sleep 1000 &
            echo $! > "$LAYERNAS_WORKDIR/child.pid"
            wait
            """, killGrace: 2)
        let marker = world.file(7, "child.pid")
        let request = try world.request(isCancelled: { FileManager.default.fileExists(atPath: marker) })
        let started = Date()
        let error = failure(evaluator, request)
        #expect(error == .cancelled)
        // SIGTERM sufficed: no need to wait for the 2 s grace.
        #expect(Date().timeIntervalSince(started) < 1.5)
        let child = try #require(pid_t(try world.read(7, "child.pid").trimmingCharacters(in: .whitespacesAndNewlines)))
        #expect(Self.dies(child))
    }

    @Test func eachAttemptAppendsToTheLogsAndOnlyItsOwnOutputCounts() throws {
        let world = try World()
        let evaluator = try world.evaluator("""
            if [ "$LAYERNAS_ATTEMPT" = 1 ]; then echo '{"score": 0.1}'; echo 'first try failed' >&2; exit 1; fi
            """)
        #expect(failure(evaluator, try world.request(attempt: 1))
            == .transient("command exited with status 1: first try failed (log: \(world.file(7, "stderr.log")))"))
        // Attempt 2 prints nothing: attempt 1's result line must not be taken for it.
        let error = failure(evaluator, try world.request(attempt: 2))
        guard case .failed(let reason)? = error else { Issue.record("expected failed, got \(String(describing: error))"); return }
        #expect(reason.hasPrefix("command printed nothing on standard output"))
        let stdout = try world.read(7, "stdout.log")
        #expect(stdout.contains("attempt 1, ") && stdout.contains("attempt 2, ") && stdout.contains(#"{"score": 0.1}"#))
    }
}
