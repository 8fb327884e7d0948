import Foundation
import GRDB
import NASTestSupport
import Testing

/// The defects found by attacking the CLI (issue 14), one test each: every test here failed before
/// its fix. Numbers are the issue's.
@Suite struct HardeningTests {
    /// 1. `--output` never replaces the database being read, nor its companion files, however the
    /// path is spelled; another SQLite database is replaced only with `--force`.
    @Test func outputThatIsTheDatabaseIsRefusedHoweverSpelled() throws {
        let directory = try TemporaryDirectory()
        let db = try QueryCommandTests.burger(directory)
        try FileManager.default.createSymbolicLink(atPath: directory.path("link.db"), withDestinationPath: db)
        try FileManager.default.createSymbolicLink(atPath: directory.path("dangling-wal"), withDestinationPath: "burger.db-wal")
        try FileManager.default.linkItem(atPath: db, toPath: directory.path("hard.db"))
        let spellings = ["burger.db", "./burger.db", "../\(directory.url.lastPathComponent)/burger.db", db,
                         "link.db", "hard.db", "burger.db-wal", "burger.db-shm", "burger.db-journal", "dangling-wal"]
        let commands: [[String]] = [["query", "burger.db", "SELECT 1"], ["export", "burger.db"], ["pareto", "burger.db"]]
        let before = try QueryCommandTests.content(db)
        for command in commands {
            for spelling in spellings {
                let result = try CommandRunner.run(command + ["--output", spelling], directory: directory.url)
                #expect(result.status == 2, "\(command) --output \(spelling): \(result.stderr)")
                #expect(result.stderrLines.count == 1 && result.stderr.contains("--output \(spelling)"), "\(result.stderr)")
            }
        }
        #expect(try QueryCommandTests.content(db) == before)
        let status = try CommandRunner.run(["status", db])
        #expect(status.status == 0, "\(status.stderr)")

        // Another search database: refused, then replaced when asked.
        let other = directory.path("other.db")
        try FileManager.default.copyItem(atPath: db, toPath: other)
        let refused = try CommandRunner.run(["query", db, "SELECT 1 AS one", "--output", other, "--format", "csv"])
        #expect(refused.status == 2 && refused.stderr.contains("is an SQLite database"), "\(refused.stderr)")
        #expect(FileManager.default.contents(atPath: other) == FileManager.default.contents(atPath: db))
        let forced = try CommandRunner.run(["query", db, "SELECT 1 AS one", "--output", other, "--format", "csv", "--force"])
        #expect(forced.status == 0, "\(forced.stderr)")
        #expect(try String(contentsOfFile: other, encoding: .utf8) == "one\r\n1\r\n")
        let notEvenForced = try CommandRunner.run(["query", db, "SELECT 1", "--output", "./burger.db", "--force"], directory: directory.url)
        #expect(notEvenForced.status == 2, "\(notEvenForced.stderr)")
    }

    /// 5. SIGHUP (terminal closed) stops the search like SIGTERM: the running external command is
    /// stopped with it instead of running on.
    @Test func hangupStopsTheSearchAndItsCommands() throws {
        let directory = try TemporaryDirectory()
        let pidFile = directory.path("command.pid")
        let script = directory.path("slow.sh")
        try "echo $$ > \(pidFile)\nsleep 30\necho '{\"score\": 0.5}'\n".write(toFile: script, atomically: true, encoding: .utf8)
        let db = directory.path("s.db")
        let process = Process()
        process.executableURL = URL(fileURLWithPath: CommandRunner.binary)
        process.arguments = ["search", db, "--space", SearchCommandTests.burger, "--evaluator", "command:sh \(script)", "--quiet"]
        process.standardOutput = FileHandle.nullDevice
        process.standardError = FileHandle.nullDevice
        try process.run()
        let deadline = Date().addingTimeInterval(60)
        while !FileManager.default.fileExists(atPath: pidFile) && Date() < deadline {
            Thread.sleep(forTimeInterval: 0.05)
        }
        Thread.sleep(forTimeInterval: 0.2)
        let group = try #require(Int32(String(contentsOfFile: pidFile, encoding: .utf8).trimmingCharacters(in: .whitespacesAndNewlines)))
        kill(process.processIdentifier, SIGHUP)
        process.waitUntilExit()
        #expect(process.terminationReason == .exit, "layernas died of the signal instead of stopping")
        Thread.sleep(forTimeInterval: 0.3)
        let survivors = SearchCommandTests.livingProcesses(inGroup: group)
        for pid in survivors { kill(pid, SIGKILL) }
        #expect(survivors.isEmpty, "the command outlived the search: \(survivors)")
    }

    /// 11. Ctrl-C while `query --output F` writes leaves no `.F.PID.tmp` behind.
    @Test func interruptedOutputLeavesNoTemporaryFile() throws {
        let directory = try TemporaryDirectory()
        let db = try QueryCommandTests.burger(directory)
        let endless = "WITH RECURSIVE n(x) AS (SELECT 1 UNION ALL SELECT x + 1 FROM n) SELECT x FROM n"
        for signalNumber in [SIGINT, SIGTERM, SIGHUP] {
            let process = Process()
            process.executableURL = URL(fileURLWithPath: CommandRunner.binary)
            process.arguments = ["query", db, endless, "--output", directory.path("rows.csv")]
            process.standardOutput = FileHandle.nullDevice
            process.standardError = FileHandle.nullDevice
            try process.run()
            let deadline = Date().addingTimeInterval(30)
            while temporaryFiles(in: directory).isEmpty && Date() < deadline {
                Thread.sleep(forTimeInterval: 0.02)
            }
            #expect(!temporaryFiles(in: directory).isEmpty, "the query never started writing")
            Thread.sleep(forTimeInterval: 0.2)
            kill(process.processIdentifier, signalNumber)
            process.waitUntilExit()
            #expect(process.terminationReason == .uncaughtSignal && process.terminationStatus == signalNumber)
            #expect(temporaryFiles(in: directory).isEmpty, "signal \(signalNumber) left \(temporaryFiles(in: directory))")
            #expect(!FileManager.default.fileExists(atPath: directory.path("rows.csv")))
        }
    }

    private func temporaryFiles(in directory: TemporaryDirectory) -> [String] {
        ((try? FileManager.default.contentsOfDirectory(atPath: directory.url.path)) ?? []).filter { $0.hasSuffix(".tmp") }
    }
}
