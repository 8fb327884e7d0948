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

    /// 2. When the working directories cannot be made (a file in the way, a full or read-only
    /// disk), the search stops with one line and records nothing as failed; once fixed, the same
    /// command resumes and ends as an uninterrupted run.
    @Test func anUnusableArtifactsLocationStopsTheSearchAndResumesOnceFixed() throws {
        let directory = try TemporaryDirectory()
        let script = directory.path("score.sh")
        try "echo '{\"score\": 0.'$(printf %s \"$LAYERNAS_ARCH\" | cksum | cut -c1-4)'}'\n".write(toFile: script, atomically: true, encoding: .utf8)
        func search(_ db: String) throws -> CommandRunner.Result {
            try CommandRunner.run(["search", db, "--space", SearchCommandTests.burger, "--evaluator", "command:sh \(script)", "--budget", "6", "--quiet"])
        }
        func failedCount(_ db: String) throws -> Int {
            let result = try CommandRunner.run(["query", db, "SELECT count(*) FROM candidates WHERE status = 'failed'", "--format", "csv"])
            return Int(result.stdout.split(whereSeparator: \.isNewline).last ?? "") ?? -1
        }
        func answer(_ db: String) throws -> String {
            try CommandRunner.run(["query", db, "SELECT arch, status, score FROM candidates ORDER BY seq", "--format", "csv"]).stdout
        }
        let reference = directory.path("reference.db")
        #expect(try search(reference).status == 0)

        // A regular file where the folder should be: refused before any evaluation.
        let blocked = directory.path("blocked.db")
        try "not a folder".write(toFile: blocked + "-artifacts", atomically: true, encoding: .utf8)
        let first = try search(blocked)
        #expect(first.status == 1, "\(first.stderr)")
        #expect(first.stderrLines.count == 1 && first.stderr.contains("cannot use the folder"), "\(first.stderr)")
        try FileManager.default.removeItem(atPath: blocked + "-artifacts")
        #expect(try search(blocked).status == 0)
        #expect(try answer(blocked) == answer(reference))

        // The third candidate's working directory cannot be made, mid-search.
        let midway = directory.path("midway.db")
        let root = midway + "-artifacts"
        try FileManager.default.createDirectory(atPath: root, withIntermediateDirectories: true)
        for id in 3...40 { try "x".write(toFile: "\(root)/\(id)", atomically: true, encoding: .utf8) }
        let stopped = try search(midway)
        #expect(stopped.status == 1, "\(stopped.stderr)")
        #expect(stopped.stderrLines.count == 1 && stopped.stderr.contains("cannot prepare the working directory"), "\(stopped.stderr)")
        #expect(try failedCount(midway) == 0)
        let status = try CommandRunner.run(["status", midway])
        #expect(status.stdout.contains("stopped"), "\(status.stdout)")
        for id in 3...40 { try FileManager.default.removeItem(atPath: "\(root)/\(id)") }
        #expect(try search(midway).status == 0)
        #expect(try answer(midway) == answer(reference))
    }

    /// 3. Databases whose names differ only in the extension get working directories of their
    /// own; a folder marked by another database that still exists is refused, naming it.
    @Test func databasesNeverShareAnArtifactsFolder() throws {
        let directory = try TemporaryDirectory()
        let script = directory.path("score.sh")
        try "echo '{\"score\": 0.5}'\n".write(toFile: script, atomically: true, encoding: .utf8)
        for name in ["t.db", "t.sqlite", "t"] {
            let result = try CommandRunner.run(["search", directory.path(name), "--space", SearchCommandTests.burger,
                                                "--evaluator", "command:sh \(script)", "--budget", "2", "--quiet"])
            #expect(result.status == 0, "\(name): \(result.stderr)")
            #expect(FileManager.default.fileExists(atPath: directory.path("\(name)-artifacts/1")), "\(name) has no folder of its own")
        }
        // a.db's folder renamed to where b.db's would be: b.db must not write into it.
        let a = directory.path("a.db"), b = directory.path("b.db")
        let first = try CommandRunner.run(["search", a, "--space", SearchCommandTests.burger, "--evaluator", "command:sh \(script)", "--budget", "2", "--quiet"])
        #expect(first.status == 0, "\(first.stderr)")
        try FileManager.default.moveItem(atPath: a + "-artifacts", toPath: b + "-artifacts")
        let log = fileBytes(b + "-artifacts/1/stdout.log")
        let refused = try CommandRunner.run(["search", b, "--space", SearchCommandTests.burger, "--evaluator", "command:sh \(script)", "--budget", "2", "--quiet"])
        #expect(refused.status == 2, "\(refused.stderr)")
        #expect(refused.stderrLines.count == 1 && refused.stderr.contains("another database") && refused.stderr.contains("a.db"), "\(refused.stderr)")
        #expect(fileBytes(b + "-artifacts/1/stdout.log") == log, "b.db wrote into a.db's folder")
    }

    /// 4. A finished database in a folder the user cannot write to, or on a read-only file
    /// system, can be read by every reading command, and they print what they print elsewhere.
    @Test func aDatabaseOnReadOnlyMediaStaysReadable() throws {
        let directory = try TemporaryDirectory()
        let archive = directory.path("archive")
        try FileManager.default.createDirectory(atPath: archive, withIntermediateDirectories: true)
        let db = archive + "/s.db"
        let made = try CommandRunner.run(["search", db, "--space", SearchCommandTests.burger, "--evaluator", "synthetic", "--budget", "6", "--quiet"])
        #expect(made.status == 0)
        // The binary where any user may run it (a clean clone may sit in a private folder).
        let binary = directory.path("layernas")
        try FileManager.default.copyItem(atPath: CommandRunner.binary, toPath: binary)
        let commands: [[String]] = [["status"], ["best"], ["query", "SELECT arch, score FROM candidates ORDER BY seq"], ["export"], ["pareto"]]
        let expected = try commands.map { try CommandRunner.run([$0[0], db] + $0.dropFirst(), executable: binary).stdout }
        // Archived as one file: the readers above left an empty -wal and an -shm beside it.
        #expect(fileBytes(db + "-wal")?.isEmpty ?? true)
        for companion in [db + "-wal", db + "-shm"] { try? FileManager.default.removeItem(atPath: companion) }
        try FileManager.default.setAttributes([.posixPermissions: 0o555], ofItemAtPath: archive)
        try FileManager.default.setAttributes([.posixPermissions: 0o755], ofItemAtPath: directory.url.path)
        defer { try? FileManager.default.setAttributes([.posixPermissions: 0o755], ofItemAtPath: archive) }
        // As a user without write permission: root may write anywhere, so root runs as nobody.
        let asUser: [String] = getuid() == 0 ? ["/usr/bin/setpriv", "--reuid=65534", "--regid=65534", "--clear-groups", binary] : [binary]
        for (command, output) in zip(commands, expected) {
            let result = try CommandRunner.run(Array(asUser.dropFirst()) + [command[0], db] + command.dropFirst(), executable: asUser[0])
            #expect(result.status == 0, "\(command[0]) in a read-only folder: \(result.stderr)")
            #expect(result.stdout == output, "\(command[0]) in a read-only folder printed something else")
        }
        // On a read-only file system (a read-only bind mount, where the machine allows mounting).
        let mountPoint = directory.path("mounted")
        try FileManager.default.createDirectory(atPath: mountPoint, withIntermediateDirectories: true)
        let bound = try CommandRunner.run(["--bind", archive, mountPoint], executable: "/bin/mount").status == 0
        defer { if bound { _ = try? CommandRunner.run([mountPoint], executable: "/bin/umount") } }
        guard bound, try CommandRunner.run(["-o", "remount,bind,ro", mountPoint], executable: "/bin/mount").status == 0 else { return }
        for (command, output) in zip(commands, expected) {
            let result = try CommandRunner.run([command[0], mountPoint + "/s.db"] + command.dropFirst(), executable: binary)
            #expect(result.status == 0, "\(command[0]) on a read-only mount: \(result.stderr)")
            #expect(result.stdout.replacingOccurrences(of: mountPoint, with: archive) == output, "\(command[0]) on a read-only mount printed something else")
        }
    }

    /// 5. SIGHUP (terminal closed) stops the search like SIGTERM: the running external command is
    /// stopped with it instead of running on.
    @Test func hangupStopsTheSearchAndItsCommands() throws {
        let directory = try TemporaryDirectory()
        let pidFile = directory.path("command.pid")
        let script = directory.path("slow.sh")
        try "echo $$ > \(pidFile)\nsleep 30\necho '{\"score\": 0.5}'\n".write(toFile: script, atomically: true, encoding: .utf8)
        let db = directory.path("s.db")
        let process = try CommandRunner.start(["search", db, "--space", SearchCommandTests.burger, "--evaluator", "command:sh \(script)", "--quiet"])
        CommandRunner.waitForFile(pidFile)
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

    /// 6. Nothing started for an evaluation outlives it: a `setsid` double-forked child is killed
    /// when its evaluation succeeds, and a child that dropped layernas's environment and left the
    /// process group is stopped when a killed search resumes.
    @Test func processesThatEscapeTheGroupDoNotOutliveTheirEvaluation() throws {
        let directory = try TemporaryDirectory()
        // A daemon-style grandchild: its parent exits at once, it keeps the environment.
        let daemon = directory.path("daemon.sh")
        try """
            setsid sh -c 'sleep 300 & echo $! > "$0"' \(directory.path("daemon.pid"))
            sleep 0.5
            echo '{"score": 0.5}'
            """.write(toFile: daemon, atomically: true, encoding: .utf8)
        let first = try CommandRunner.run(["search", directory.path("d.db"), "--space", SearchCommandTests.burger,
                                           "--evaluator", "command:sh \(daemon)", "--budget", "1", "--quiet"])
        #expect(first.status == 0, "\(first.stderr)")
        let daemonPid = try #require(pid_t(String(contentsOfFile: directory.path("daemon.pid"), encoding: .utf8).trimmingCharacters(in: .whitespacesAndNewlines)))
        Thread.sleep(forTimeInterval: 0.3)
        let daemonAlive = ProcessState.isRunning(daemonPid)
        if daemonAlive { kill(daemonPid, SIGKILL) }
        #expect(!daemonAlive, "the setsid child outlived its successful evaluation")

        // A child without LAYERNAS_* in its environment, in a session of its own, still running
        // when layernas is killed; the resumed attempt (2) finishes at once.
        let stray = directory.path("stray.pid")
        let script = directory.path("stray.sh")
        try """
            if [ "$LAYERNAS_ATTEMPT" = 1 ]; then env -i setsid sh -c 'echo $$ > "$0"; exec sleep 300' \(stray); fi
            echo '{"score": 0.5}'
            """.write(toFile: script, atomically: true, encoding: .utf8)
        let db = directory.path("s.db")
        let process = Process()
        process.executableURL = URL(fileURLWithPath: CommandRunner.binary)
        process.arguments = ["search", db, "--space", SearchCommandTests.burger, "--evaluator", "command:sh \(script)", "--budget", "1", "--quiet"]
        process.standardOutput = FileHandle.nullDevice
        process.standardError = FileHandle.nullDevice
        try process.run()
        let deadline = Date().addingTimeInterval(30)
        while !FileManager.default.fileExists(atPath: stray) && Date() < deadline { Thread.sleep(forTimeInterval: 0.05) }
        Thread.sleep(forTimeInterval: 0.5)   // several scans of the process tree
        kill(process.processIdentifier, SIGKILL)
        process.waitUntilExit()
        let strayPid = try #require(pid_t(String(contentsOfFile: stray, encoding: .utf8).trimmingCharacters(in: .whitespacesAndNewlines)))
        #expect(ProcessState.isRunning(strayPid), "the stray should survive the SIGKILL of layernas")
        let resumed = try CommandRunner.run(["search", db, "--budget", "1", "--quiet"])
        #expect(resumed.status == 0, "\(resumed.stderr)")
        Thread.sleep(forTimeInterval: 0.3)
        let strayAlive = ProcessState.isRunning(strayPid)
        if strayAlive { kill(strayPid, SIGKILL) }
        #expect(!strayAlive, "the stray of the killed attempt runs beside its replacement")
    }

    /// 7. A table header that names a column twice is one line naming the column, not a crash; a
    /// table with quoted keys (as spreadsheets write them) is read as the keys.
    @Test func aRepeatedTableColumnIsOneLineAndQuotedKeysAreRead() throws {
        let directory = try TemporaryDirectory()
        let table = directory.path("scores.csv")
        try "arch,score,loss,loss\nC-B-D,0.5,1,2\n".write(toFile: table, atomically: true, encoding: .utf8)
        let db = directory.path("t.db")
        let result = try CommandRunner.run(["search", db, "--space", SearchCommandTests.burger, "--evaluator", "table:\(table)"])
        #expect(result.status == 2, "\(result.stderr)")
        #expect(result.stderrLines == ["error: \(table): line 1: header names column 'loss' twice"])

        // Every burger architecture with its synthetic score, then the same with keys in quotes.
        let plain = directory.path("plain.csv")
        let quoted = directory.path("quoted.csv")
        let enumerate = try CommandRunner.run(["search", directory.path("all.db"), "--space", SearchCommandTests.burger,
                                               "--evaluator", "synthetic", "--strategy", "exhaustive", "--quiet"])
        #expect(enumerate.status == 0, "\(enumerate.stderr)")
        let rows = try CommandRunner.run(["query", directory.path("all.db"), "SELECT arch, score FROM candidates", "--format", "csv"])
        let lines = rows.stdout.split(whereSeparator: \.isNewline).dropFirst().map(String.init)
        #expect(lines.count > 3)
        try ("arch,score\n" + lines.joined(separator: "\n") + "\n").write(toFile: plain, atomically: true, encoding: .utf8)
        let quotedLines = lines.map { line -> String in
            let fields = line.split(separator: ",")
            return "\"\(fields[0])\", \(fields[1])"
        }
        try ("\"arch\",\"score\"\n" + quotedLines.joined(separator: "\n") + "\n").write(toFile: quoted, atomically: true, encoding: .utf8)
        var answers: [String] = []
        for file in [plain, quoted] {
            let db = directory.path("\(UUID().uuidString).db")
            let run = try CommandRunner.run(["search", db, "--space", SearchCommandTests.burger, "--evaluator", "table:\(file)", "--budget", "6", "--quiet"])
            #expect(run.status == 0, "\(run.stderr)")
            let failed = try CommandRunner.run(["query", db, "SELECT count(*) FROM candidates WHERE status <> 'evaluated'", "--format", "csv"])
            #expect(failed.stdout.split(whereSeparator: \.isNewline).last == "0", "\(file): \(failed.stdout)")
            answers.append(try CommandRunner.run(["query", db, "SELECT arch, score FROM candidates ORDER BY seq", "--format", "csv"]).stdout)
        }
        #expect(answers[0] == answers[1], "quoted keys gave another search")
    }

    /// 8. Durations too large for the clock are refused when parsed, not by a crash later.
    @Test func anOverflowingDurationIsRefusedWhenParsed() throws {
        let directory = try TemporaryDirectory()
        for option in ["--eval-timeout", "--time-limit"] {
            for value in ["99999999999999999999h", "1e300", "3651d"] {
                let db = directory.path("d.db")
                let result = try CommandRunner.run(["search", db, "--space", SearchCommandTests.burger, "--evaluator", "synthetic", option, value])
                #expect(result.status == 2, "\(option) \(value): \(result.stderr)")
                #expect(result.stderrLines.count == 1 && result.stderr.contains("\(option): expected a duration"), "\(result.stderr)")
                #expect(!FileManager.default.fileExists(atPath: db), "a refused search left a database")
            }
        }
        let accepted = try CommandRunner.run(["search", directory.path("ok.db"), "--space", SearchCommandTests.burger, "--evaluator", "synthetic", "--eval-timeout", "3650d", "--budget", "2", "--quiet"])
        #expect(accepted.status == 0, "\(accepted.stderr)")
    }

    /// 9. First-time `search`es of the same new file started together: creation is serialized,
    /// so each one either runs (creating or resuming the search) or is refused naming the process
    /// that runs it; never an SQL error or a half-made file.
    @Test func simultaneousFirstSearchesOfANewFileAreSerialized() throws {
        let directory = try TemporaryDirectory()
        let script = directory.path("slow.sh")
        try "sleep 0.3\necho '{\"score\": 0.5}'\n".write(toFile: script, atomically: true, encoding: .utf8)
        for round in 0..<8 {
            let db = directory.path("race-\(round).db")
            let processes = (0..<3).map { _ -> (Process, Pipe) in
                let process = Process()
                process.executableURL = URL(fileURLWithPath: CommandRunner.binary)
                process.arguments = ["search", db, "--space", SearchCommandTests.burger, "--evaluator", "command:sh \(script)", "--budget", "2", "--quiet"]
                let errors = Pipe()
                process.standardOutput = FileHandle.nullDevice
                process.standardError = errors
                return (process, errors)
            }
            for (process, _) in processes { try process.run() }
            var ran = 0
            for (process, errors) in processes {
                let text = String(decoding: errors.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
                process.waitUntilExit()
                if process.terminationStatus == 0 {
                    ran += 1
                } else {
                    #expect(process.terminationStatus == 2 && text.contains("being run by process"), "round \(round): \(text)")
                }
            }
            #expect(ran >= 1, "round \(round): nobody ran the search")
            let searches = try CommandRunner.run(["query", db, "SELECT count(*) FROM searches", "--format", "csv"])
            #expect(searches.stdout.split(whereSeparator: \.isNewline).last == "1", "round \(round): \(searches.stdout) \(searches.stderr)")
        }
    }

    /// 10. A FIFO or a device where a database or a spec should be is refused by name at once
    /// (SQLite would wait forever on a FIFO).
    @Test func aFIFOOrADeviceIsRefusedByName() throws {
        let directory = try TemporaryDirectory()
        let journalExisted = FileManager.default.fileExists(atPath: "/dev/null-journal")
        let fifo = directory.path("pipe")
        #expect(mkfifo(fifo, 0o600) == 0)
        let commands: [[String]] = [
            ["status", fifo], ["best", fifo], ["query", fifo, "SELECT 1"], ["export", fifo], ["pareto", fifo],
            ["init", fifo], ["search", fifo, "--space", SearchCommandTests.burger],
            ["init", "/dev/null"], ["status", "/dev/null"], ["init", directory.url.path],
        ]
        for command in commands {
            let result = try runWithDeadline(command, seconds: 20)
            #expect(result?.status == 2, "\(command): \(result?.stderr ?? "hung")")
            #expect(result?.stderr.contains("not a database file") == true, "\(command): \(result?.stderr ?? "hung")")
        }
        for spec in [fifo, "/dev/zero", directory.url.path] {
            let result = try runWithDeadline(["search", directory.path("s.db"), "--space", spec], seconds: 20)
            #expect(result?.status == 2, "--space \(spec): \(result?.stderr ?? "hung")")
            #expect(result?.stderr.contains("not a spec file") == true, "--space \(spec): \(result?.stderr ?? "hung")")
        }
        #expect(journalExisted || !FileManager.default.fileExists(atPath: "/dev/null-journal"))
    }

    /// 12. Every path is taken literally: `file:` is a name, not an SQLite URI, for writers and
    /// readers alike.
    @Test func pathsStartingWithFileAreTakenLiterally() throws {
        let directory = try TemporaryDirectory()
        for name in ["file:v.db", "file:u.db?mode=memory"] {
            let search = try CommandRunner.run(["search", name, "--space", SearchCommandTests.burger, "--evaluator", "synthetic", "--budget", "3", "--quiet"], directory: directory.url)
            #expect(search.status == 0, "\(name): \(search.stderr)")
            #expect(FileManager.default.fileExists(atPath: directory.path(name)), "\(name) was not created under its own name")
            let status = try CommandRunner.run(["status", name], directory: directory.url)
            #expect(status.status == 0 && status.stdout.contains("finished"), "\(name): \(status.stderr)")
            let count = try CommandRunner.run(["query", name, "SELECT count(*) FROM candidates", "--format", "csv"], directory: directory.url)
            let stored = count.stdout.split(whereSeparator: \.isNewline).last.flatMap { Int($0) } ?? 0
            #expect(stored >= 3, "\(name): \(count.stdout) \(count.stderr)")
        }
        #expect(!FileManager.default.fileExists(atPath: directory.path("v.db")))
    }

    /// 13. The owner of a search is a process, not a pid: a later layernas process that reuses a
    /// dead owner's pid does not block the resume, nor does a heartbeat from a clock far ahead;
    /// the real owner still does.
    @Test func aReusedPidOrAFutureHeartbeatDoesNotBlockResume() throws {
        let directory = try TemporaryDirectory()
        let db = try Self.stoppedSearch(in: directory)
        // Another layernas process (a long query) whose pid the "dead owner" had.
        let other = Process()
        other.executableURL = URL(fileURLWithPath: CommandRunner.binary)
        other.arguments = ["query", db, "WITH RECURSIVE n(x) AS (SELECT 1 UNION ALL SELECT x + 1 FROM n) SELECT x FROM n", "--output", directory.path("rows.csv")]
        other.standardOutput = FileHandle.nullDevice
        other.standardError = FileHandle.nullDevice
        try other.run()
        defer { if other.isRunning { other.terminate(); other.waitUntilExit() } }
        Thread.sleep(forTimeInterval: 0.3)
        let pid = other.processIdentifier
        let host = ProcessInfo.processInfo.hostName
        let stat = try String(contentsOfFile: "/proc/\(pid)/stat", encoding: .utf8)
        let close = try #require(stat.lastIndex(of: ")"))
        let ticks = try #require(stat[stat.index(after: close)...].split(separator: " ").dropFirst(19).first)
        let now = Date().timeIntervalSince1970
        let cases: [(owner: String, heartbeat: Double, refused: Bool)] = [
            ("\(host):\(pid)", now - 3600, false),             // an older layernas's owner; pid reused since
            ("\(host):\(pid)@1", now, false),                  // same pid, another process
            ("elsewhere:4242", now + 10 * 365 * 86400, false),  // a remote clock ten years ahead
            ("\(host):\(pid)@\(ticks)", now, true),             // that very process: really running
        ]
        for (owner, heartbeat, refused) in cases {
            try DatabaseQueue(path: db).write { database in
                try database.execute(sql: "UPDATE searches SET owner = ?, owner_heartbeat_at = ?, status = 'running'", arguments: [owner, heartbeat])
            }
            let resumed = try CommandRunner.run(["search", db, "--budget", "4", "--quiet"])
            if refused {
                #expect(resumed.status == 2 && resumed.stderr.contains("being run by process"), "\(owner): \(resumed.stderr)")
            } else {
                #expect(resumed.status == 0, "\(owner): \(resumed.stderr)")
            }
        }
    }

    /// A burger search stopped by its budget, to resume.
    static func stoppedSearch(in directory: TemporaryDirectory, name: String = "stopped.db") throws -> String {
        let db = directory.path(name)
        let result = try CommandRunner.run(["search", db, "--space", SearchCommandTests.burger, "--evaluator", "synthetic", "--budget", "2", "--quiet"])
        #expect(result.status == 0, "\(result.stderr)")
        return db
    }

    /// 14. A name with a control character (a NUL would be stored cut short) is refused, naming
    /// the field.
    @Test func aNameWithAControlCharacterIsRefused() throws {
        let directory = try TemporaryDirectory()
        let base = try String(contentsOfFile: SearchCommandTests.burger, encoding: .utf8)
        let nameLine = try #require(base.split(separator: "\n").first { $0.hasPrefix("name:") })
        let cases = [("name: \"burger\\0x\"", "name", "U+0000"), ("name: \"bur\\u001bger\"", "name", "U+001B")]
        for (replacement, field, code) in cases {
            let spec = directory.path("bad.yaml")
            try base.replacingOccurrences(of: String(nameLine), with: replacement).write(toFile: spec, atomically: true, encoding: .utf8)
            let db = directory.path("n.db")
            let result = try CommandRunner.run(["search", db, "--space", spec, "--evaluator", "synthetic"])
            #expect(result.status == 2, "\(result.stderr)")
            #expect(result.stderrLines.count == 1 && result.stderr.contains(field) && result.stderr.contains(code), "\(result.stderr)")
            #expect(!FileManager.default.fileExists(atPath: db))
        }
    }

    /// 15. A hand-edited database is refused in one line, never trusted into a crash: settings
    /// out of range, an elapsed time no clock gives, a space edited under its candidates.
    @Test func handEditedDatabasesAreRefusedInOneLine() throws {
        let directory = try TemporaryDirectory()
        let edits: [(sql: String, command: [String], status: Int32, message: String)] = [
            ("UPDATE searches SET settings_json = json_set(settings_json, '$.buckets', 0)", ["search"], 2, "buckets 0"),
            ("UPDATE searches SET settings_json = json_set(settings_json, '$.perBucket', -3)", ["status"], 2, "per-bucket -3"),
            ("UPDATE searches SET space_json = replace(space_json, '{\"custom\":{\"cost\":2}},\"label\":\"B\"', '{\"custom\":{\"cost\":3}},\"label\":\"B\"')",
             ["search"], 2, "edited by hand"),
            // An option no candidate may use yet: caught by the option rows written at creation.
            ("UPDATE searches SET space_json = replace(space_json, '{\"custom\":{\"cost\":1}},\"label\":\"A\"', '{\"custom\":{\"cost\":5}},\"label\":\"A\"')",
             ["search"], 2, "edited by hand"),
        ]
        for (index, edit) in edits.enumerated() {
            let db = try Self.stoppedSearch(in: directory, name: "edit-\(index).db")
            try DatabaseQueue(path: db).write { database in try database.execute(sql: edit.sql) }
            let before = try QueryCommandTests.content(db)
            let result = try CommandRunner.run([edit.command[0], db] + (edit.command[0] == "search" ? ["--budget", "6", "--quiet"] : []))
            #expect(result.status == edit.status, "\(edit.sql): \(result.stderr)")
            #expect(result.stderrLines.count == 1 && result.stderr.contains(edit.message) && result.stderr.contains(db), "\(edit.sql): \(result.stderr)")
            #expect(try QueryCommandTests.content(db) == before, "\(edit.sql): the refused command changed the file")
        }
        let db = try Self.stoppedSearch(in: directory, name: "elapsed.db")
        for elapsed in [1e300, Double.greatestFiniteMagnitude] {
            try DatabaseQueue(path: db).write { database in try database.execute(sql: "UPDATE searches SET elapsed_seconds = ?", arguments: [elapsed]) }
            let status = try CommandRunner.run(["status", db])
            #expect(status.status == 0, "elapsed \(elapsed): \(status.stderr)")
        }
    }

    /// 16. Only pure SQL functions run in `query`: `fts3_tokenizer()` (a heap pointer) and other
    /// unreviewed functions are refused; the usual ones still work.
    @Test func queryRefusesFunctionsOffTheAllowList() throws {
        let directory = try TemporaryDirectory()
        let db = try QueryCommandTests.burger(directory)
        for sql in ["SELECT fts3_tokenizer('simple')", "SELECT hex(fts3_tokenizer('porter'))", "SELECT sqlite_dbpage('main')"] {
            let result = try CommandRunner.run(["query", db, sql])
            #expect(result.status == 2, "\(sql): \(result.stdout) \(result.stderr)")
            #expect(result.stderrLines.count == 1, "\(sql): \(result.stderr)")
        }
        let usual = try CommandRunner.run(["query", db, """
            SELECT count(*), round(avg(score), 3), max(cost), json_extract('{"a": 2}', '$.a'), '{"b": 3}' ->> '$.b',
                   group_concat(arch), printf('%.2f', 1.0), date('2026-01-01'), row_number() OVER () FROM candidate_details
            """, "--format", "csv"])
        #expect(usual.status == 0, "\(usual.stderr)")
    }

    /// Also seen: a refused first `search` on a new path leaves no database (nor an artifacts
    /// folder) behind.
    @Test func aRefusedFirstSearchLeavesNoFileBehind() throws {
        let directory = try TemporaryDirectory()
        let refusals: [[String]] = [["--budget", "0"], ["--buckets", "0"], ["--evaluator", "nope"],
                                    ["--evaluator", "command:no-such-program-here"], ["--evaluator", "table:/no/such/table.csv"]]
        for arguments in refusals {
            let db = directory.path("new.db")
            let result = try CommandRunner.run(["search", db, "--space", SearchCommandTests.burger] + arguments)
            #expect(result.status == 2, "\(arguments): \(result.stderr)")
            let left = try FileManager.default.contentsOfDirectory(atPath: directory.url.path)
            #expect(left.isEmpty, "\(arguments) left \(left)")
        }
    }

    /// Also seen: the table format's footer counts the rows it printed, also for a query whose
    /// two passes over a large result differ (random()).
    @Test func theTableFooterCountsThePrintedRows() throws {
        let directory = try TemporaryDirectory()
        let db = try QueryCommandTests.burger(directory)
        let sql = "SELECT x FROM (WITH RECURSIVE n(x) AS (SELECT 1 UNION ALL SELECT x + 1 FROM n LIMIT 30000) SELECT x FROM n) WHERE random() % 2 = 0"
        let result = try CommandRunner.run(["query", db, sql, "--format", "table"])
        #expect(result.status == 0, "\(result.stderr)")
        let lines = result.stdout.split(separator: "\n")
        let footer = try #require(lines.last)
        #expect(footer == "(\(lines.count - 3) rows)", "footer \(footer) for \(lines.count - 3) printed rows")
    }

    /// Also seen: SQL that starts with a `--` comment is a statement, not an option.
    @Test func sqlStartingWithACommentIsAStatement() throws {
        let directory = try TemporaryDirectory()
        let db = try QueryCommandTests.burger(directory)
        let result = try CommandRunner.run(["query", db, "-- how many?\nSELECT count(*) AS n FROM candidates", "--format", "csv"])
        #expect(result.status == 0, "\(result.stderr)")
        #expect(result.stdout.hasPrefix("n\r\n"), "\(result.stdout)")
    }

    /// Runs the binary; nil when it did not end within `seconds` (it is killed then).
    private func runWithDeadline(_ arguments: [String], seconds: Double) throws -> CommandRunner.Result? {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: CommandRunner.binary)
        process.arguments = arguments
        let errors = Pipe()
        process.standardOutput = FileHandle.nullDevice
        process.standardError = errors
        try process.run()
        let deadline = Date().addingTimeInterval(seconds)
        while process.isRunning && Date() < deadline { Thread.sleep(forTimeInterval: 0.02) }
        if process.isRunning {
            kill(process.processIdentifier, SIGKILL)
            process.waitUntilExit()
            return nil
        }
        let text = String(decoding: errors.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        return CommandRunner.Result(status: process.terminationStatus, stdout: "", stderr: text)
    }

    private func temporaryFiles(in directory: TemporaryDirectory) -> [String] {
        ((try? FileManager.default.contentsOfDirectory(atPath: directory.url.path)) ?? []).filter { $0.hasSuffix(".tmp") }
    }
}

/// Whether a process runs (a zombie does not count).
enum ProcessState {
    static func isRunning(_ pid: pid_t) -> Bool {
        guard let stat = try? String(contentsOfFile: "/proc/\(pid)/stat", encoding: .utf8),
              let close = stat.lastIndex(of: ")") else { return false }
        return stat[stat.index(after: close)...].split(separator: " ").first != "Z"
    }
}
