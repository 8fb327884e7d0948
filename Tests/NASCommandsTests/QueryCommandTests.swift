import Foundation
import NASTestSupport
#if canImport(FoundationXML)
import FoundationXML
#endif
import GRDB
import Testing

/// `layernas query`, `pareto` and `export` as a user runs them, including next to a running search.
@Suite struct QueryCommandTests {
    /// A finished burger search in a fresh directory.
    static func burger(_ directory: TemporaryDirectory) throws -> String {
        let path = directory.path("burger.db")
        let result = try CommandRunner.run(["search", path, "--space", CommandRunner.example("burger.yaml"),
                                            "--evaluator", "synthetic", "--buckets", "4", "--per-bucket", "2", "--quiet"])
        #expect(result.status == 0, "\(result.stderr)")
        return path
    }

    /// The database's content: main file, and the WAL when it holds frames.
    static func content(_ path: String) throws -> [Data] {
        var result = [try Data(contentsOf: URL(fileURLWithPath: path))]
        if let wal = FileManager.default.contents(atPath: path + "-wal"), !wal.isEmpty { result.append(wal) }
        return result
    }

    @Test func writeAttemptsExitWithStatusTwoAndLeaveTheFileUnchanged() throws {
        let directory = try TemporaryDirectory()
        let path = try Self.burger(directory)
        let before = try Self.content(path)
        let attempts = [
            "INSERT INTO events (search_id, kind, message) VALUES (1, 'x', 'y')",
            "UPDATE candidates SET score = 1 WHERE status = 'pending'",
            "DELETE FROM events",
            "DROP TABLE memberships",
            "CREATE TABLE notes (a)",
            "CREATE TEMP TABLE notes (a)",
            "ATTACH DATABASE '\(directory.path("other.db"))' AS other",
            "PRAGMA writable_schema = ON",
            "PRAGMA journal_mode = DELETE",
            "SELECT load_extension('libevil')",
            "VACUUM INTO '\(directory.path("copy.db"))'",
            "SELECT 1; DELETE FROM events",
            "SELECT arch FROM candidates; UPDATE searches SET status = 'failed'",
        ]
        for sql in attempts {
            let result = try CommandRunner.run(["query", path, sql])
            #expect(result.status == 2, "\(sql): \(result.status) \(result.stderr)")
            #expect(result.stderrLines.count == 1 && result.stderr.hasPrefix("error: \(path): refused: "), "\(sql): \(result.stderr)")
            #expect(result.stdout.isEmpty)
        }
        // Through standard input too.
        let piped = try runWithInput(["query", path, "-"], input: "SELECT 1;\nDROP TABLE events;\n")
        #expect(piped.status == 2)
        #expect(try Self.content(path) == before)
        #expect(!FileManager.default.fileExists(atPath: directory.path("other.db")))
        #expect(!FileManager.default.fileExists(atPath: directory.path("copy.db")))
        let fine = try CommandRunner.run(["query", path, "SELECT count(*) AS n FROM events", "--format", "csv"])
        #expect(fine.status == 0)
    }

    @Test func badSQLMissingFilesAndBadOptionsAreExitTwo() throws {
        let directory = try TemporaryDirectory()
        let path = try Self.burger(directory)
        for arguments in [
            ["query", path, "SELECT * FROM nowhere"],
            ["query", directory.path("missing.db"), "SELECT 1"],
            ["query", path, "SELECT 1", "--format", "xml"],
            ["pareto", path, "--objectives", "score:max"],
            ["pareto", path, "--objectives", "score:max,madds:min"],
            ["pareto", path, "--name", "nope"],
            ["pareto", path, "--name", "burger", "--all"],
            ["export", path, "--name", "nope"],
        ] {
            let result = try CommandRunner.run(arguments)
            #expect(result.status == 2, "\(arguments): \(result.stderr)")
            #expect(result.stderrLines.count == 1, "\(arguments): \(result.stderr)")
        }
        #expect(!FileManager.default.fileExists(atPath: directory.path("missing.db")))
    }

    @Test func csvOfQueryAndExportRoundTripsThroughPython() throws {
        let directory = try TemporaryDirectory()
        let path = try Self.burger(directory)
        let sql = """
            SELECT arch, score, cost, 'comma, "quote"' || char(10) || 'line' AS note, NULL AS empty
            FROM candidates ORDER BY seq
            """
        let query = try CommandRunner.run(["query", path, sql, "--format", "csv"])
        #expect(query.status == 0, "\(query.stderr)")
        let json = try CommandRunner.run(["query", path, sql, "--format", "json"])
        let objects = try #require(try JSONSerialization.jsonObject(with: Data(json.stdout.utf8)) as? [[String: Any]])
        let script = """
            import csv, io, json, sys
            rows = list(csv.DictReader(io.StringIO(sys.stdin.read(), newline=''), strict=True))
            print(json.dumps([[r['arch'], float(r['score']) if r['score'] else None, r['note'], r['empty']] for r in rows]))
            """
        let parsed = try runWithInput(["python3", "-c", script], input: query.stdout, executable: "/usr/bin/env")
        #expect(parsed.status == 0, "\(parsed.stderr)")
        let rows = try #require(try JSONSerialization.jsonObject(with: Data(parsed.stdout.utf8)) as? [[Any]])
        #expect(rows.count == objects.count)
        for (row, object) in zip(rows, objects) {
            #expect(row[0] as? String == object["arch"] as? String)
            #expect((row[1] as? NSNumber)?.doubleValue == (object["score"] as? NSNumber)?.doubleValue)
            #expect(row[2] as? String == "comma, \"quote\"\nline")
            #expect(row[3] as? String == "")
            #expect(object["empty"] is NSNull)
        }

        let export = try CommandRunner.run(["export", path, "--output", directory.path("all.csv")])
        #expect(export.status == 0, "\(export.stderr)")
        let text = try String(contentsOfFile: directory.path("all.csv"), encoding: .utf8)
        let check = """
            import csv, io, sys
            rows = list(csv.DictReader(io.StringIO(sys.stdin.read(), newline=''), strict=True))
            need = ['search', 'arch', 'status', 'score', 'cost', 'custom_cost', 'parent', 'layer', 'option_1']
            assert all(k in rows[0] for k in need), rows[0].keys()
            assert all(r['arch'] == '-'.join([r['option_1'], r['option_2'], r['option_3']]) for r in rows)
            print(len(rows))
            """
        let counted = try runWithInput(["python3", "-c", check], input: text, executable: "/usr/bin/env")
        #expect(counted.status == 0, "\(counted.stderr)")
        let total = try CommandRunner.run(["query", path, "SELECT count(*) FROM candidates", "--format", "jsonl"])
        #expect(total.stdout.contains(":\(counted.stdout.trimmingCharacters(in: .whitespacesAndNewlines))}"))
    }

    @Test func paretoWritesCSVJSONAndAStandaloneSVG() throws {
        let directory = try TemporaryDirectory()
        let path = try Self.burger(directory)
        let random = try CommandRunner.run(["search", path, "--space", CommandRunner.example("burger.yaml"), "--name", "random",
                                            "--strategy", "random", "--evaluator", "synthetic", "--budget", "12", "--quiet"])
        #expect(random.status == 0, "\(random.stderr)")
        let csv = try CommandRunner.run(["pareto", path, "--name", "burger"])
        #expect(csv.status == 0, "\(csv.stderr)")
        #expect(csv.stdout.hasPrefix("search,candidate_id,seq,arch,score,target_metric,cost"))
        let view = try CommandRunner.run(["query", path, "SELECT count(*) FROM pareto_front WHERE search = 'burger'", "--format", "csv"])
        #expect(csv.stdout.split(separator: "\r\n").count - 1 == Int(view.stdout.split(separator: "\r\n")[1]))
        let json = try CommandRunner.run(["pareto", path, "--all", "--format", "json"])
        let report = try #require(try JSONSerialization.jsonObject(with: Data(json.stdout.utf8)) as? [String: Any])
        #expect((report["searches"] as? [Any])?.count == 2)
        let svgPath = directory.path("front.svg")
        let svg = try CommandRunner.run(["pareto", path, "--all", "--output", svgPath])
        #expect(svg.status == 0, "\(svg.stderr)")
        #expect(svg.stdout.isEmpty)
        let document = try Data(contentsOf: URL(fileURLWithPath: svgPath))
        let parser = XMLParser(data: document)
        #expect(parser.parse())
        let text = String(decoding: document, as: UTF8.self)
        for part in ["class=\"point ", "class=\"answer\"", "class=\"key\"", "class=\"front\"", "class=\"front-point\"", "class=\"window\"", "class=\"title\"", "class=\"legend\"", "id=\"x-axis\"", "id=\"y-axis\""] {
            #expect(text.contains(part), "\(part)")
        }
    }

    @Test func queryAndParetoSucceedWhileASearchWritesTheFile() throws {
        let directory = try TemporaryDirectory()
        let spec = try KillResumeTests.writeSlowSpace(in: directory)
        let path = directory.path("running.db")
        let search = Process()
        search.executableURL = URL(fileURLWithPath: CommandRunner.binary)
        search.arguments = ["search", path, "--space", spec, "--evaluator", "synthetic", "--buckets", "20", "--per-bucket", "3",
                            "--budget", "250", "--quiet"]
        search.standardOutput = FileHandle.nullDevice
        search.standardError = FileHandle.nullDevice
        try search.run()
        defer { if search.isRunning { search.terminate() } }
        // Wait for the first results.
        var ready = false
        for _ in 0..<200 where !ready {
            Thread.sleep(forTimeInterval: 0.02)
            if FileManager.default.fileExists(atPath: path) {
                let probe = try CommandRunner.run(["query", path, "SELECT count(*) FROM candidates WHERE status = 'evaluated'", "--format", "csv"])
                ready = probe.status == 0 && (Int(probe.stdout.split(separator: "\r\n").last ?? "") ?? 0) > 5
            }
        }
        #expect(ready)
        var duringSearch = 0
        var seen: [Int] = []
        while search.isRunning && duringSearch < 12 {
            let query = try CommandRunner.run(["query", path, "SELECT evaluated FROM search_progress", "--format", "csv"])
            #expect(query.status == 0, "\(query.stderr)")
            seen.append(Int(query.stdout.split(separator: "\r\n").last ?? "") ?? -1)
            let pareto = try CommandRunner.run(["pareto", path, "--format", "json"])
            #expect(pareto.status == 0, "\(pareto.stderr)")
            let export = try CommandRunner.run(["export", path, "--format", "jsonl"])
            #expect(export.status == 0, "\(export.stderr)")
            if search.isRunning { duringSearch += 1 }
        }
        #expect(duringSearch >= 1, "the search ended before any query ran next to it")
        #expect(seen == seen.sorted(), "evaluations only grow: \(seen)")
        search.waitUntilExit()
        #expect(search.terminationStatus == 0)
        let integrity = try DatabaseQueue(path: path).read { db in try String.fetchOne(db, sql: "PRAGMA integrity_check") }
        #expect(integrity == "ok")
    }
}

/// Runs a program with `input` on its standard input.
func runWithInput(_ arguments: [String], input: String, executable: String = CommandRunner.binary) throws -> CommandRunner.Result {
    let process = Process()
    process.executableURL = URL(fileURLWithPath: executable)
    process.arguments = arguments
    let stdin = Pipe()
    let out = Pipe()
    let err = Pipe()
    process.standardInput = stdin
    process.standardOutput = out
    process.standardError = err
    try process.run()
    stdin.fileHandleForWriting.write(Data(input.utf8))
    try stdin.fileHandleForWriting.close()
    let outData = out.fileHandleForReading.readDataToEndOfFile()
    let errData = err.fileHandleForReading.readDataToEndOfFile()
    process.waitUntilExit()
    return CommandRunner.Result(status: process.terminationStatus, stdout: String(decoding: outData, as: UTF8.self),
                                stderr: String(decoding: errData, as: UTF8.self))
}
