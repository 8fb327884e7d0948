import Foundation
import NASTestSupport
import GRDB
import Testing

/// Wrong input of every kind gets one clear line and a documented exit code, and stored data is
/// never changed (the file's bytes are compared before and after).
@Suite struct BadInputTests {
    /// A finished burger search to damage or misuse.
    static func storedSearch(in directory: TemporaryDirectory) throws -> String {
        let db = directory.path("stored.db")
        let result = try CommandRunner.run(["search", db, "--space", CommandRunner.example("burger.yaml"), "--evaluator", "synthetic", "--budget", "5", "--quiet"])
        #expect(result.status == 0, "\(result.stderr)")
        return db
    }

    private func expectRefusal(_ arguments: [String], status: Int32, mentioning text: String, unchanged path: String) throws {
        let before = FileManager.default.contents(atPath: path)
        let result = try CommandRunner.run(arguments)
        #expect(result.status == status, "\(arguments): \(result.stderr)")
        #expect(result.stderrLines.count == 1, "\(arguments): \(result.stderr)")
        #expect(result.stderr.contains(text), "\(arguments): \(result.stderr)")
        #expect(FileManager.default.contents(atPath: path) == before, "\(arguments) changed \(path)")
    }

    @Test func badValuesOnAStoredSearchLeaveItUnchanged() throws {
        let directory = try TemporaryDirectory()
        let db = try Self.storedSearch(in: directory)
        try expectRefusal(["search", db, "--budget", "-3"], status: 2, mentioning: "--budget", unchanged: db)
        try expectRefusal(["search", db, "--buckets", "0"], status: 2, mentioning: "--buckets", unchanged: db)
        try expectRefusal(["search", db, "--strategy", "annealing"], status: 2, mentioning: "strategy", unchanged: db)
        try expectRefusal(["search", db, "--name", "nope"], status: 2, mentioning: "no search named 'nope'", unchanged: db)
        try expectRefusal(["status", db, "--name", "nope"], status: 2, mentioning: "no search named 'nope'", unchanged: db)
        try expectRefusal(["search", db, "--seed", "9"], status: 2, mentioning: "--seed 1, not 9", unchanged: db)
    }

    @Test func badTableIsRefusedNamingTheLine() throws {
        let directory = try TemporaryDirectory()
        let table = directory.path("scores.csv")
        try "arch,score\nC-B-D,0.5\nC-B-D,0.7\n".write(toFile: table, atomically: true, encoding: .utf8)
        let db = directory.path("t.db")
        let result = try CommandRunner.run(["search", db, "--space", CommandRunner.example("burger.yaml"), "--evaluator", "table:\(table)"])
        #expect(result.status == 2)
        #expect(result.stderrLines == ["error: \(table): line 3: arch 'C-B-D' appears twice"])
        try "arch,score\nC-B-D,fast\n".write(toFile: table, atomically: true, encoding: .utf8)
        let second = try CommandRunner.run(["search", directory.path("u.db"), "--space", CommandRunner.example("burger.yaml"), "--evaluator", "table:\(table)"])
        #expect(second.status == 2)
        #expect(second.stderr.contains("line 2: score must be a finite number, got 'fast'"))
    }

    @Test func truncatedDatabaseIsReportedAsDamagedAndLeftAlone() throws {
        let directory = try TemporaryDirectory()
        let db = try Self.storedSearch(in: directory)
        let truncated = directory.path("truncated.db")
        let bytes = try #require(FileManager.default.contents(atPath: db))
        try bytes.prefix(bytes.count / 3).write(to: URL(fileURLWithPath: truncated))
        for command in [["status", truncated], ["best", truncated], ["search", truncated]] {
            try expectRefusal(command, status: 2, mentioning: "damaged", unchanged: truncated)
        }
    }

    @Test func databaseFromANewerVersionIsRefusedBySearch() throws {
        let directory = try TemporaryDirectory()
        let db = try Self.storedSearch(in: directory)
        try DatabaseQueue(path: db).write { db in try db.execute(sql: "INSERT INTO grdb_migrations VALUES ('9999_future')") }
        try expectRefusal(["search", db], status: 2, mentioning: "written by a newer layernas", unchanged: db)
        try expectRefusal(["status", db], status: 2, mentioning: "written by a newer layernas", unchanged: db)
    }

    @Test func fileThatIsNotADatabaseIsRefusedBySearch() throws {
        let directory = try TemporaryDirectory()
        let path = directory.path("notes.db")
        try Data("# my notes\n".utf8).write(to: URL(fileURLWithPath: path))
        try expectRefusal(["search", path, "--space", CommandRunner.example("burger.yaml"), "--evaluator", "synthetic"],
                          status: 2, mentioning: "not an SQLite database", unchanged: path)
    }

    @Test func missingDatasetNamesThePathAndThePackage() throws {
        let directory = try TemporaryDirectory()
        let process = Process()
        process.executableURL = URL(fileURLWithPath: CommandRunner.binary)
        process.arguments = ["train", "--space", CommandRunner.example("fashion-mlp.yaml"), "--arch", "64-skip-skip-skip"]
        var environment = ProcessInfo.processInfo.environment
        environment["LAYERNAS_FASHION_MNIST"] = directory.path("nowhere")
        process.environment = environment
        let err = Pipe()
        process.standardError = err
        process.standardOutput = FileHandle.nullDevice
        try process.run()
        let text = String(decoding: err.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        process.waitUntilExit()
        #expect(process.terminationStatus == 1)
        #expect(text.split(separator: "\n").count == 1)
        #expect(text.contains(directory.path("nowhere")))
        #expect(text.contains("dataset-fashion-mnist"))
    }

    @Test func readOnlyDatabaseIsAClearError() throws {
        guard getuid() != 0 else { return }  // root ignores file permissions
        let directory = try TemporaryDirectory()
        let db = try Self.storedSearch(in: directory)
        try FileManager.default.setAttributes([.posixPermissions: 0o444], ofItemAtPath: db)
        try FileManager.default.setAttributes([.posixPermissions: 0o555], ofItemAtPath: directory.url.path)
        defer { try? FileManager.default.setAttributes([.posixPermissions: 0o755], ofItemAtPath: directory.url.path) }
        let result = try CommandRunner.run(["search", db, "--budget", "9"])
        #expect(result.status != 0)
        #expect(result.stderrLines.count == 1)
    }

    @Test func everyMalformedSpecIsRefusedBySearchWithoutTouchingTheDatabase() throws {
        let directory = try TemporaryDirectory()
        let db = try Self.storedSearch(in: directory)
        let fixtures = CommandRunner.packageRoot.appendingPathComponent("Tests/NASSpaceTests/Fixtures/invalid")
        let names = try FileManager.default.contentsOfDirectory(atPath: fixtures.path).filter { !$0.hasSuffix(".expect") }.sorted()
        #expect(names.count >= 25)
        for name in names {
            let path = fixtures.appendingPathComponent(name).path
            let sidecar = try? String(contentsOfFile: path + ".expect", encoding: .utf8)
            let firstLine = String((try sidecar ?? String(contentsOfFile: path, encoding: .utf8)).split(separator: "\n").first ?? "")
            let expected = firstLine.hasPrefix("# expect: ") ? String(firstLine.dropFirst(10)) : firstLine
            try expectRefusal(["search", db, "--space", path, "--evaluator", "synthetic"], status: 2, mentioning: expected, unchanged: db)
        }
    }

    @Test func fullDiskStopsTheSearchCleanlyAndTheSearchResumesWithSpace() throws {
        let directory = try TemporaryDirectory()
        let mountPoint = directory.path("small-disk")
        try FileManager.default.createDirectory(atPath: mountPoint, withIntermediateDirectories: true)
        func mount(_ options: String) -> Bool {
            let process = Process()
            process.executableURL = URL(fileURLWithPath: "/bin/mount")
            process.arguments = options.isEmpty ? ["-t", "tmpfs", "-o", "size=400k", "tmpfs", mountPoint]
                : ["-o", options, mountPoint]
            process.standardError = FileHandle.nullDevice
            guard (try? process.run()) != nil else { return false }
            process.waitUntilExit()
            return process.terminationStatus == 0
        }
        guard mount("") else { return }  // needs the right to mount a tmpfs (root, as in CI)
        defer {
            let unmount = Process()
            unmount.executableURL = URL(fileURLWithPath: "/bin/umount")
            unmount.arguments = [mountPoint]
            try? unmount.run()
            unmount.waitUntilExit()
        }
        let spec = try KillResumeTests.writeSlowSpace(in: directory)
        let db = mountPoint + "/s.db"
        let arguments = ["search", db, "--space", spec, "--evaluator", "synthetic", "--buckets", "20", "--per-bucket", "3", "--budget", "300", "--quiet"]
        let full = try CommandRunner.run(arguments)
        #expect(full.status == 1)
        #expect(full.stderr.contains("the disk is full; free some space and run the same command again"), "\(full.stderr)")
        let (integrity, foreignKeyProblems) = try KillResumeTests.checkIntegrity(db)
        #expect(integrity == "ok")
        #expect(foreignKeyProblems == 0)
        #expect(mount("remount,size=64m"))
        let resumed = try CommandRunner.run(arguments)
        #expect(resumed.status == 0, "\(resumed.stderr)")
        let reference = directory.path("reference.db")
        #expect(try CommandRunner.run(["search", reference] + arguments.dropFirst(2)).status == 0)
        #expect(try KillResumeTests.snapshot(db) == KillResumeTests.snapshot(reference))
    }

    @Test func readOnlyDiskIsAClearErrorAndChangesNothing() throws {
        let directory = try TemporaryDirectory()
        let mountPoint = directory.path("ro-disk")
        try FileManager.default.createDirectory(atPath: mountPoint, withIntermediateDirectories: true)
        func run(_ executable: String, _ arguments: [String]) -> Bool {
            let process = Process()
            process.executableURL = URL(fileURLWithPath: executable)
            process.arguments = arguments
            process.standardError = FileHandle.nullDevice
            guard (try? process.run()) != nil else { return false }
            process.waitUntilExit()
            return process.terminationStatus == 0
        }
        guard run("/bin/mount", ["-t", "tmpfs", "-o", "size=8m", "tmpfs", mountPoint]) else { return }  // needs root, as in CI
        defer { _ = run("/bin/umount", [mountPoint]) }
        let db = mountPoint + "/s.db"
        #expect(try CommandRunner.run(["search", db, "--space", CommandRunner.example("burger.yaml"), "--evaluator", "synthetic", "--budget", "4", "--quiet"]).status == 0)
        #expect(run("/bin/mount", ["-o", "remount,ro", mountPoint]))
        let before = FileManager.default.contents(atPath: db)
        let result = try CommandRunner.run(["search", db, "--budget", "9"])
        #expect(result.status == 1 || result.status == 2)
        #expect(result.stderrLines.count == 1, "\(result.stderr)")
        #expect(result.stderr.contains(db))
        #expect(FileManager.default.contents(atPath: db) == before)
    }
}
