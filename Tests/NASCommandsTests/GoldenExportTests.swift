import Foundation
import NASTestSupport
import Testing

/// Fixed-seed searches export exactly the bytes recorded before the store refactor (issue 12):
/// `Fixtures/golden-exports/*.csv` were written by the binary of commit c191dcd, with the
/// `seconds` column (a timing) removed. Any change to generation order, bucket rules, ranking or
/// export columns shows up here as a byte difference.
@Suite struct GoldenExportTests {
    static let fixtures = CommandRunner.packageRoot.appendingPathComponent("Tests/NASCommandsTests/Fixtures/golden-exports")

    static let cases: [(space: String, strategy: String)] = [
        ("burger", "layernas-paper"), ("burger", "random"), ("burger", "evolution"),
        ("fashion-mlp", "layernas-paper"), ("fashion-mlp", "random"), ("fashion-mlp", "evolution"),
    ]

    @Test(arguments: 0..<cases.count)
    func exportEqualsTheRecordedBytes(index: Int) throws {
        let (space, strategy) = Self.cases[index]
        let directory = try TemporaryDirectory()
        let db = directory.path("\(space)-\(strategy).db")
        let search = try CommandRunner.run([
            "search", db, "--space", CommandRunner.example("\(space).yaml"), "--strategy", strategy,
            "--evaluator", "synthetic:7", "--seed", "3", "--budget", "60", "--buckets", "5", "--per-bucket", "2", "--quiet",
        ])
        #expect(search.status == 0, "\(search.stderr)")
        let export = try CommandRunner.run(["export", db, "--format", "csv"])
        #expect(export.status == 0, "\(export.stderr)")
        let expected = try String(contentsOf: Self.fixtures.appendingPathComponent("\(space)-\(strategy).csv"), encoding: .utf8)
        #expect(Self.withoutColumn("seconds", export.stdout) == expected)
    }

    /// A database written before migration 0004 (its LayerNAS search was then called `layernas`,
    /// stopped at 25 of the golden search's 60 evaluations) is upgraded on open: the search is
    /// now `layernas-paper`, and resuming it to 60 gives the bytes of the uninterrupted search.
    @Test func aSearchStoredAsLayerNASBeforeMigration4ResumesAsThePaperAlgorithm() throws {
        let directory = try TemporaryDirectory()
        let db = directory.path("old.db")
        let fixture = CommandRunner.packageRoot.appendingPathComponent("Tests/NASCommandsTests/Fixtures/before-0004/fashion-mlp-layernas-25.db")
        try FileManager.default.copyItem(atPath: fixture.path, toPath: db)
        #expect(try CommandRunner.run(["init", db]).status == 0)
        let status = try CommandRunner.run(["status", db, "--format", "json"])
        let json = try #require(try JSONSerialization.jsonObject(with: Data(status.stdout.utf8)) as? [String: Any])
        #expect(json["strategy"] as? String == "layernas-paper")
        #expect(json["evaluated"] as? Int == 25)
        let resumed = try CommandRunner.run(["search", db, "--budget", "60", "--quiet"])
        #expect(resumed.status == 0, "\(resumed.stderr)")
        let export = try CommandRunner.run(["export", db, "--format", "csv"])
        let expected = try String(contentsOf: Self.fixtures.appendingPathComponent("fashion-mlp-layernas-paper.csv"), encoding: .utf8)
        #expect(Self.withoutColumn("seconds", export.stdout) == expected)
        // The strategy is named on resume as it is stored now; the old name means the new default.
        let renamed = try CommandRunner.run(["search", db, "--strategy", "layernas", "--budget", "61", "--quiet"])
        #expect(renamed.status == 2 && renamed.stderr.contains("--strategy layernas-paper"), "\(renamed.stderr)")
    }

    /// The CSV without one column. Exports quote fields holding commas or quotes, so fields are
    /// split by a small RFC 4180 reader rather than on every comma.
    static func withoutColumn(_ name: String, _ csv: String) -> String {
        let rows = CSVRows.parse(csv)
        guard let header = rows.first, let drop = header.firstIndex(of: name) else { return csv }
        return rows.map { row in
            var fields = row
            if drop < fields.count { fields.remove(at: drop) }
            return fields.map(CSVRows.quoted).joined(separator: ",") + "\r\n"
        }.joined()
    }
}

/// Minimal RFC 4180 reading and quoting (CRLF line ends, as exports write them), enough to compare exports column by column.
enum CSVRows {
    static func parse(_ text: String) -> [[String]] {
        var rows: [[String]] = []
        var row: [String] = []
        var field = ""
        var inQuotes = false
        // Unicode scalars, not Characters: "\r\n" is one Character in Swift.
        var characters = text.unicodeScalars.makeIterator()
        var pending: Unicode.Scalar? = nil
        while let character = pending ?? characters.next() {
            pending = nil
            if inQuotes {
                if character == "\"" {
                    if let next = characters.next() {
                        if next == "\"" { field.unicodeScalars.append("\"") } else { inQuotes = false; pending = next }
                    } else { inQuotes = false }
                } else { field.unicodeScalars.append(character) }
            } else if character == "\"" {
                inQuotes = true
            } else if character == "," {
                row.append(field); field = ""
            } else if character == "\n" {
                row.append(field); field = ""
                rows.append(row); row = []
            } else if character != "\r" {
                field.unicodeScalars.append(character)
            }
        }
        if !field.isEmpty || !row.isEmpty { row.append(field); rows.append(row) }
        return rows
    }

    static func quoted(_ field: String) -> String {
        guard field.contains(where: { $0 == "," || $0 == "\"" || $0 == "\n" || $0 == "\r" }) else { return field }
        return "\"" + field.replacingOccurrences(of: "\"", with: "\"\"") + "\""
    }
}
