import Foundation
import GRDB
import NASTestSupport
import Testing

/// Issue 15, point 3: `list`, `delete` and `rename`, run as a user runs them.
@Suite struct SearchManagementTests {
    /// A database with two finished searches: `burger` (LayerNAS, synthetic) and `pizza` (random).
    static func twoSearches(_ directory: TemporaryDirectory) throws -> String {
        let db = directory.path("two.db")
        let first = try CommandRunner.run(["search", db, "--space", SearchCommandTests.burger, "--evaluator", "synthetic", "--budget", "6", "--quiet"])
        #expect(first.status == 0, "\(first.stderr)")
        let second = try CommandRunner.run(["search", db, "--space", SearchCommandTests.burger, "--evaluator", "synthetic", "--budget", "4",
                                            "--strategy", "random", "--name", "pizza", "--quiet"])
        #expect(second.status == 0, "\(second.stderr)")
        return db
    }

    static func json(_ text: String) throws -> Any { try JSONSerialization.jsonObject(with: Data(text.utf8)) }

    /// The rows of one search as CSV (the export the user would keep), for before/after checks.
    static func export(_ db: String, name: String) throws -> String {
        let result = try CommandRunner.run(["export", db, "--name", name, "--format", "csv"])
        #expect(result.status == 0, "\(result.stderr)")
        return result.stdout
    }

    @Test func listShowsEverySearchWithItsStatusCountsAndBest() throws {
        let directory = try TemporaryDirectory()
        let db = try Self.twoSearches(directory)
        let text = try CommandRunner.run(["list", db])
        #expect(text.status == 0, "\(text.stderr)")
        let lines = text.stdout.split(separator: "\n").map(String.init)
        #expect(lines.count == 3, "\(text.stdout)")
        #expect(lines[1].hasPrefix("burger ") && lines[1].contains(" layernas ") && lines[1].contains(" finished ") && lines[1].contains(" 6/6 "), "\(lines)")
        #expect(lines[2].hasPrefix("pizza ") && lines[2].contains(" random ") && lines[2].contains(" 4/4 "), "\(lines)")
        let listed = try #require(try Self.json(CommandRunner.run(["list", db, "--format", "json"]).stdout) as? [[String: Any]])
        #expect(listed.map { $0["name"] as? String } == ["burger", "pizza"])
        for entry in listed {
            let name = try #require(entry["name"] as? String)
            let best = try #require(try Self.json(CommandRunner.run(["best", db, "--name", name, "--format", "json"]).stdout) as? [String: Any])
            #expect(entry["best_score"] as? Double == best["score"] as? Double, "\(name)")
            #expect(entry["best_arch"] as? String == best["arch"] as? String, "\(name)")
            #expect(entry["evaluated"] as? Int == entry["budget"] as? Int)
            #expect(entry["status"] as? String == "finished")
            #expect((entry["created_at"] as? String)?.hasPrefix("20") == true)
        }
        let empty = try CommandRunner.run(["list", directory.path("missing.db")])
        #expect(empty.status == 2 && empty.stderr.contains("no such database"), "\(empty.stderr)")
        #expect(!FileManager.default.fileExists(atPath: directory.path("missing.db")))
    }

    /// A delete removes the search, every row of it and its candidates' working directories; the
    /// other search is untouched and still resumes; single results stay undeletable.
    @Test func deleteRemovesOneWholeSearchAndItsWorkingDirectories() throws {
        let directory = try TemporaryDirectory()
        let db = directory.path("mixed.db")
        let script = directory.path("score.sh")
        try "echo '{\"score\": 0.5}'\n".write(toFile: script, atomically: true, encoding: .utf8)
        let external = try CommandRunner.run(["search", db, "--space", SearchCommandTests.burger, "--evaluator", "command:sh \(script)",
                                              "--budget", "3", "--name", "external", "--quiet"])
        #expect(external.status == 0, "\(external.stderr)")
        let kept = try CommandRunner.run(["search", db, "--space", SearchCommandTests.burger, "--evaluator", "synthetic", "--budget", "3",
                                          "--name", "kept", "--quiet"])
        #expect(kept.status == 0, "\(kept.stderr)")
        let artifacts = db + "-artifacts"
        let folders = try FileManager.default.contentsOfDirectory(atPath: artifacts).filter { Int($0) != nil }
        #expect(folders.count == 3, "\(folders)")
        let keptBefore = try Self.export(db, name: "kept")

        let deleted = try CommandRunner.run(["delete", db, "--name", "external", "--yes"])
        #expect(deleted.status == 0, "\(deleted.stderr)")
        #expect(deleted.stdout.contains("deleted search 'external'") && deleted.stdout.contains("3 evaluated"), "\(deleted.stdout)")
        #expect(!FileManager.default.fileExists(atPath: artifacts), "the working directories are left: \(artifacts)")
        #expect(try Self.export(db, name: "kept") == keptBefore)
        let remaining = try DatabaseQueue(path: db).read { db in
            try ["searches", "candidates", "events", "layers", "options", "steps", "memberships", "search_deletions"].map { table in
                try Int.fetchOne(db, sql: "SELECT count(*) FROM \(table) WHERE \(table == "searches" ? "name" : "search_id") = ?",
                                 arguments: [table == "searches" ? "external" : 1]) ?? -1
            }
        }
        #expect(remaining.allSatisfy { $0 == 0 }, "rows of the deleted search are left: \(remaining)")
        #expect(throws: DatabaseError.self) {
            try DatabaseQueue(path: db).write { db in try db.execute(sql: "DELETE FROM candidates WHERE status = 'evaluated'") }
        }
        let names = try CommandRunner.run(["list", db, "--format", "json"])
        #expect((try Self.json(names.stdout) as? [[String: Any]])?.map { $0["name"] as? String } == ["kept"])
        let unnamed = try CommandRunner.run(["search", db, "--space", SearchCommandTests.burger, "--evaluator", "synthetic", "--budget", "5", "--quiet"])
        #expect(unnamed.status == 2 && unnamed.stderr.contains("give --name kept"), "\(unnamed.stderr)")
        let resumed = try CommandRunner.run(["search", db, "--space", SearchCommandTests.burger, "--evaluator", "synthetic", "--budget", "5", "--name", "kept", "--quiet"])
        #expect(resumed.status == 0, "\(resumed.stderr)")
        let again = try CommandRunner.run(["delete", db, "--name", "external", "--yes"])
        #expect(again.status == 2 && again.stderr.contains("no search named 'external'"), "\(again.stderr)")
    }

    /// Without a terminal a delete needs --yes; on a terminal it asks, and only "y" deletes.
    @Test(.enabled(if: FileManager.default.isExecutableFile(atPath: "/usr/bin/script"), "needs script(1) for a pseudo-terminal"))
    func deleteAsksOnATerminalAndNeedsYesElsewhere() throws {
        let directory = try TemporaryDirectory()
        let db = try Self.twoSearches(directory)
        let before = try QueryCommandTests.content(db)
        let unattended = try CommandRunner.run(["delete", db, "--name", "pizza"])
        #expect(unattended.status == 2 && unattended.stderr.contains("--yes"), "\(unattended.stderr)")
        #expect(try QueryCommandTests.content(db) == before)
        for (answer, survives) in [("n", true), ("", true), ("y", false)] {
            let process = Process()
            process.executableURL = URL(fileURLWithPath: "/usr/bin/script")
            process.arguments = ["-qec", "'\(CommandRunner.binary)' delete '\(db)' --name pizza", "/dev/null"]
            let input = Pipe()
            let output = Pipe()
            process.standardInput = input
            process.standardOutput = output
            process.standardError = FileHandle.nullDevice
            try process.run()
            Thread.sleep(forTimeInterval: 0.5)
            input.fileHandleForWriting.write(Data("\(answer)\n".utf8))
            let text = String(decoding: output.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
            process.waitUntilExit()
            #expect(text.contains("[y/N]"), "no question asked: \(text)")
            let names = try CommandRunner.run(["list", db, "--format", "json"]).stdout
            let listed = (try Self.json(names) as? [[String: Any]])?.compactMap { $0["name"] as? String } ?? []
            #expect(listed.contains("pizza") == survives, "answer '\(answer)': \(listed); \(text)")
        }
    }

    /// A search a live process runs cannot be deleted or renamed; once it stopped, it can.
    @Test func deleteAndRenameAreRefusedWhileALiveProcessRunsTheSearch() throws {
        let directory = try TemporaryDirectory()
        let script = directory.path("slow.sh")
        try "echo $$ > \(directory.path("started"))\nsleep 20\necho '{\"score\": 0.5}'\n".write(toFile: script, atomically: true, encoding: .utf8)
        let db = directory.path("live.db")
        let process = try CommandRunner.start(["search", db, "--space", SearchCommandTests.burger, "--evaluator", "command:sh \(script)", "--quiet"])
        CommandRunner.waitForFile(directory.path("started"), timeout: 30)
        defer {
            if process.isRunning { process.interrupt() }
            process.waitUntilExit()
        }
        let delete = try CommandRunner.run(["delete", db, "--name", "burger", "--yes"])
        #expect(delete.status == 2 && delete.stderr.contains("is being run by process"), "\(delete.stderr)")
        let rename = try CommandRunner.run(["rename", db, "--name", "burger", "other"])
        #expect(rename.status == 2 && rename.stderr.contains("is being run by process"), "\(rename.stderr)")
        #expect(try CommandRunner.run(["status", db]).stdout.contains("search: burger"))
        process.interrupt()
        process.waitUntilExit()
        let afterwards = try CommandRunner.run(["delete", db, "--name", "burger", "--yes"])
        #expect(afterwards.status == 0, "\(afterwards.stderr)")
    }

    /// A rename keeps every row; the search resumes under its new name; a taken or empty name is
    /// refused; a missing database is not created.
    @Test func renameKeepsTheSearchAndRefusesTakenNames() throws {
        let directory = try TemporaryDirectory()
        let db = try Self.twoSearches(directory)
        let before = try Self.export(db, name: "pizza")
        let renamed = try CommandRunner.run(["rename", db, "--name", "pizza", "margherita"])
        #expect(renamed.status == 0, "\(renamed.stderr)")
        #expect(try Self.export(db, name: "margherita") == before.replacingOccurrences(of: "pizza", with: "margherita"))
        let taken = try CommandRunner.run(["rename", db, "--name", "margherita", "burger"])
        #expect(taken.status == 2 && taken.stderr.contains("'burger' already exists"), "\(taken.stderr)")
        let empty = try CommandRunner.run(["rename", db, "--name", "margherita", ""])
        #expect(empty.status == 2 && empty.stderrLines.count == 1, "\(empty.stderr)")
        let several = try CommandRunner.run(["rename", db, "new"])
        #expect(several.status == 2 && several.stderr.contains("choose one with --name"), "\(several.stderr)")
        let resumed = try CommandRunner.run(["search", db, "--space", SearchCommandTests.burger, "--evaluator", "synthetic", "--budget", "6",
                                             "--strategy", "random", "--name", "margherita", "--quiet"])
        #expect(resumed.status == 0, "\(resumed.stderr)")
        let listed = try #require(try Self.json(CommandRunner.run(["list", db, "--format", "json"]).stdout) as? [[String: Any]])
        #expect(listed.first { $0["name"] as? String == "margherita" }?["evaluated"] as? Int == 6)
        for command in [["rename", directory.path("nope.db"), "x"], ["delete", directory.path("nope.db"), "--name", "x", "--yes"]] {
            let missing = try CommandRunner.run(command)
            #expect(missing.status == 2 && missing.stderr.contains("no such database"), "\(missing.stderr)")
        }
        #expect(!FileManager.default.fileExists(atPath: directory.path("nope.db")))
    }

    /// A database written by an older layernas (before migration 0005) is upgraded by `delete`, as
    /// `search` upgrades it, and then loses exactly the search named.
    @Test func deleteUpgradesADatabaseOfAnOlderLayerNAS() throws {
        let directory = try TemporaryDirectory()
        let db = directory.path("old.db")
        let fixture = CommandRunner.packageRoot.appendingPathComponent("Tests/NASCommandsTests/Fixtures/before-0004/fashion-mlp-layernas-25.db")
        try FileManager.default.copyItem(atPath: fixture.path, toPath: db)
        let name = try DatabaseQueue(path: db).read { db in try String.fetchOne(db, sql: "SELECT name FROM searches") }
        let deleted = try CommandRunner.run(["delete", db, "--name", try #require(name), "--yes"])
        #expect(deleted.status == 0, "\(deleted.stderr)")
        #expect(deleted.stdout.contains("25 evaluated"), "\(deleted.stdout)")
        let listed = try CommandRunner.run(["list", db])
        #expect(listed.status == 0 && listed.stdout.contains("holds no search yet"), "\(listed.stdout)\(listed.stderr)")
    }

    /// A second search refused after its row was written (its evaluator cannot be made) is taken
    /// out again: the file keeps only its first search, and no working-directory folder appears.
    @Test func aRefusedSecondSearchLeavesNoSearchBehind() throws {
        let directory = try TemporaryDirectory()
        let db = try HardeningTests.stoppedSearch(in: directory)
        for evaluator in ["command:no-such-program-anywhere x", "table:\(directory.path("missing.csv"))"] {
            let refused = try CommandRunner.run(["search", db, "--space", SearchCommandTests.burger, "--name", "second",
                                                 "--evaluator", evaluator, "--budget", "3"])
            #expect(refused.status == 2 && refused.stderrLines.count == 1, "\(evaluator): \(refused.stderr)")
            let listed = try #require(try Self.json(CommandRunner.run(["list", db, "--format", "json"]).stdout) as? [[String: Any]])
            #expect(listed.map { $0["name"] as? String } == ["burger"], "\(evaluator)")
            #expect(!FileManager.default.fileExists(atPath: db + "-artifacts"), "\(evaluator)")
        }
    }
}

