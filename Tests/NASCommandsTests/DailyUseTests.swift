import Foundation
import GRDB
import NASTestSupport
import Testing

/// What got in the way of daily use (issue 15), one test per point. Numbers are the issue's.
@Suite struct DailyUseTests {
    /// 2. A spec that names no stored search, given without --name, is refused (the wrong file is
    /// far likelier than a wish for a second search); with --name it adds one.
    @Test func aDifferentSpecOnAnExistingDatabaseIsRefusedUnlessNamed() throws {
        let directory = try TemporaryDirectory()
        let db = try HardeningTests.stoppedSearch(in: directory)
        let other = directory.path("other.yaml")
        let burger = try String(contentsOfFile: SearchCommandTests.burger, encoding: .utf8)
        try burger.replacingOccurrences(of: "name: burger", with: "name: pizza").write(toFile: other, atomically: true, encoding: .utf8)
        let before = try QueryCommandTests.content(db)
        let refused = try CommandRunner.run(["search", db, "--space", other, "--evaluator", "synthetic", "--budget", "3"])
        #expect(refused.status == 2, "\(refused.stderr)")
        #expect(refused.stderrLines.count == 1 && refused.stderr.contains("'burger'") && refused.stderr.contains("--name pizza"), "\(refused.stderr)")
        #expect(try QueryCommandTests.content(db) == before)
        let named = try CommandRunner.run(["search", db, "--space", other, "--evaluator", "synthetic", "--budget", "3", "--name", "pizza", "--quiet"])
        #expect(named.status == 0, "\(named.stderr)")
        let names = try CommandRunner.run(["query", db, "SELECT name FROM searches ORDER BY id", "--format", "csv"])
        #expect(names.stdout.split(whereSeparator: \.isNewline).dropFirst() == ["burger", "pizza"])
    }

    /// 4. Ctrl-C says what happens (the evaluation in progress runs again on resume) and ends
    /// without an error line; a second Ctrl-C says it stopped at once.
    @Test func ctrlCSaysWhatHappensAndPrintsNoError() throws {
        let directory = try TemporaryDirectory()
        let script = directory.path("slow.sh")
        try "echo $$ > \(directory.path("started"))\nsleep 20\necho '{\"score\": 0.5}'\n".write(toFile: script, atomically: true, encoding: .utf8)
        // Ignores SIGTERM, so the first Ctrl-C waits out the grace period and the second one stops at once.
        let stubborn = directory.path("stubborn.sh")
        try "trap '' TERM\necho $$ > \(directory.path("started"))\nsleep 20\necho '{\"score\": 0.5}'\n".write(toFile: stubborn, atomically: true, encoding: .utf8)
        for signals in [1, 2] {
            try? FileManager.default.removeItem(atPath: directory.path("started"))
            let process = Process()
            process.executableURL = URL(fileURLWithPath: CommandRunner.binary)
            process.arguments = ["search", directory.path("c\(signals).db"), "--space", SearchCommandTests.burger,
                                 "--evaluator", "command:sh \(signals == 1 ? script : stubborn)", "--quiet"]
            let errors = Pipe()
            process.standardOutput = FileHandle.nullDevice
            process.standardError = errors
            try process.run()
            let deadline = Date().addingTimeInterval(30)
            while !FileManager.default.fileExists(atPath: directory.path("started")) && Date() < deadline { Thread.sleep(forTimeInterval: 0.05) }
            Thread.sleep(forTimeInterval: 0.2)
            for _ in 0..<signals {
                process.interrupt()
                Thread.sleep(forTimeInterval: 0.3)
            }
            let text = String(decoding: errors.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
            process.waitUntilExit()
            #expect(process.terminationStatus == 130, "\(text)")
            #expect(text.contains("runs again on resume"), "\(text)")
            #expect(!text.contains("error:"), "a requested stop printed an error: \(text)")
            #expect(text.contains(signals == 1 ? "search stopped;" : "stopped now"), "\(text)")
        }
    }

    /// 5. A mistyped path gets "no such database" from every command, exit 2, and no file.
    @Test func aMissingDatabaseIsNamedAsSuchByEveryCommand() throws {
        let directory = try TemporaryDirectory()
        let missing = directory.path("mpl.db")
        for command in [["search", missing, "--budget", "100"], ["status", missing], ["best", missing],
                        ["query", missing, "SELECT 1"], ["export", missing], ["pareto", missing]] {
            let result = try CommandRunner.run(command)
            #expect(result.status == 2, "\(command): \(result.stderr)")
            #expect(result.stderrLines.count == 1 && result.stderr.contains("no such database"), "\(command): \(result.stderr)")
        }
        #expect(try FileManager.default.contentsOfDirectory(atPath: directory.url.path).isEmpty)
    }

    /// 6. An `--output` extension that names no format is refused, naming the formats.
    @Test func anUnknownOutputExtensionIsRefused() throws {
        let directory = try TemporaryDirectory()
        let db = try HardeningTests.stoppedSearch(in: directory)
        for command in [["pareto", db, "--output", directory.path("front.png")], ["export", db, "--output", directory.path("all.xlsx")],
                        ["query", db, "SELECT 1", "--output", directory.path("rows.parquet")]] {
            let result = try CommandRunner.run(command)
            #expect(result.status == 2, "\(command): \(result.stderr)")
            #expect(result.stderrLines.count == 1 && result.stderr.contains("csv"), "\(command): \(result.stderr)")
        }
        let left = try FileManager.default.contentsOfDirectory(atPath: directory.url.path).sorted()
        #expect(left == ["stopped.db"], "files left: \(left)")
        let noExtension = try CommandRunner.run(["export", db, "--output", directory.path("all")])
        #expect(noExtension.status == 0, "\(noExtension.stderr)")
    }

    /// 8. `status` of a search whose process died says it stopped and how to resume.
    @Test func statusShowsADeadOwnerAsStopped() throws {
        let directory = try TemporaryDirectory()
        let script = directory.path("slow.sh")
        try "echo $$ > \(directory.path("started"))\nsleep 20\necho '{\"score\": 0.5}'\n".write(toFile: script, atomically: true, encoding: .utf8)
        let db = directory.path("k.db")
        let process = try CommandRunner.start(["search", db, "--space", SearchCommandTests.burger, "--evaluator", "command:sh \(script)", "--quiet"])
        CommandRunner.waitForFile(directory.path("started"), timeout: 30)
        let live = try CommandRunner.run(["status", db])
        #expect(live.stdout.contains("running ("), "\(live.stdout)")
        kill(process.processIdentifier, SIGKILL)
        process.waitUntilExit()
        if let group = Int32((try? String(contentsOfFile: directory.path("started"), encoding: .utf8))?.trimmingCharacters(in: .whitespacesAndNewlines) ?? "") {
            kill(-group, SIGKILL)
        }
        let dead = try CommandRunner.run(["status", db])
        #expect(dead.status == 0, "\(dead.stderr)")
        #expect(dead.stdout.contains("stopped: process") && dead.stdout.contains("is gone; run the same command to resume"), "\(dead.stdout)")
    }

    /// 1 and 7. On a terminal the progress line fits the width (80 and 50 columns, long keys) and
    /// shows the running evaluation at once, with its time moving while it runs.
    @Test(.enabled(if: FileManager.default.isExecutableFile(atPath: "/usr/bin/script"), "needs script(1) for a pseudo-terminal"))
    func theProgressLineFitsTheTerminalAndShowsWhatRuns() throws {
        let directory = try TemporaryDirectory()
        let spec = directory.path("long.yaml")
        let layers = ["first", "second", "third"].map { name in
            "  - {name: \(name), options: [{label: \(name)_option_with_a_long_label_1, cost: 1}, {label: \(name)_option_with_a_long_label_2, cost: 2}]}"
        }
        try (["name: long", "family: custom", "layers:"] + layers + ["target: {metric: cost, min: 3, max: 6}"]).joined(separator: "\n")
            .write(toFile: spec, atomically: true, encoding: .utf8)
        let script = directory.path("slow.sh")
        try "sleep 1.5\necho '{\"score\": 0.5}'\n".write(toFile: script, atomically: true, encoding: .utf8)
        for columns in [80, 50] {
            let command = "'\(CommandRunner.binary)' search '\(directory.path("p\(columns).db"))' --space '\(spec)' --evaluator 'command:sh \(script)' --budget 2"
            let process = Process()
            process.executableURL = URL(fileURLWithPath: "/usr/bin/script")
            process.arguments = ["-qec", command, "/dev/null"]
            var environment = ProcessInfo.processInfo.environment
            environment["COLUMNS"] = String(columns)
            process.environment = environment
            let output = Pipe()
            process.standardOutput = output
            process.standardError = FileHandle.nullDevice
            process.standardInput = FileHandle.nullDevice
            try process.run()
            let text = String(decoding: output.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
            process.waitUntilExit()
            #expect(process.terminationStatus == 0, "\(text)")
            let redraws = text.components(separatedBy: "\u{1B}[2K").dropFirst()
                .map { $0.split(whereSeparator: \.isNewline).first.map(String.init) ?? "" }
            #expect(redraws.count >= 3, "\(text)")
            for line in redraws {
                #expect(line.count < columns, "\(columns) columns: \(line.count) characters: \(line)")
            }
            #expect(redraws.contains { $0.contains("0/2") && $0.contains("1 running") }, "nothing shown before the first result: \(redraws)")
            #expect(redraws.contains { $0.contains("1 running 1s") }, "the running time does not move: \(redraws)")
        }
    }
}
