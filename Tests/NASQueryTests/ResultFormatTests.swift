import Foundation
import NASTestSupport
import GRDB
import Testing
@testable import NASQuery

/// CSV (RFC 4180), JSON, JSON Lines and table output of query rows.
@Suite struct ResultFormatTests {
    static let tricky: [String] = [
        "plain", "comma, inside", "quote \" inside", "\"starts with quote", "line\nbreak", "crlf\r\nbreak",
        "trailing space ", " leading", "", "ünïcødé ✓ 漢字", "tab\tinside", "semi;colon", "back\\slash",
    ]

    /// A database whose rows hold the tricky strings, numbers of both kinds, NULL and a blob.
    static func trickyDatabase(in directory: TemporaryDirectory) throws -> String {
        let path = directory.path("tricky.db")
        try DatabaseQueue(path: path).write { db in
            try db.execute(sql: "CREATE TABLE t (id INTEGER, text TEXT, real REAL, maybe INTEGER, data BLOB)")
            for (index, text) in tricky.enumerated() {
                try db.execute(sql: "INSERT INTO t VALUES (?, ?, ?, ?, ?)", arguments: [
                    index, text, Double(index) / 3 - 1, index.isMultiple(of: 2) ? nil : index * 1_000_000_007,
                    index == 3 ? Data([0, 255, 16]) : nil,
                ])
            }
        }
        return path
    }

    static let select = "SELECT id, text, real, maybe, data, 9e999 AS big FROM t ORDER BY id"

    @Test func csvRoundTripsThroughPythonsCSVModule() throws {
        let directory = try TemporaryDirectory()
        let database = try QueryDatabase(path: try Self.trickyDatabase(in: directory))
        let csv = try render(in: directory) { sink in
            try database.withUserQuery(sql: Self.select) { try ResultFormat.csv.write($0, to: sink) }
        }
        let script = """
            import csv, io, json, sys
            rows = list(csv.reader(io.StringIO(sys.stdin.read(), newline=''), strict=True))
            print(json.dumps(rows))
            """
        let result = try python(script, input: csv)
        #expect(result.status == 0)
        let parsed = try JSONDecoder().decode([[String]].self, from: Data(result.output.utf8))
        #expect(parsed.first == ["id", "text", "real", "maybe", "data", "big"])
        #expect(parsed.count == Self.tricky.count + 1)
        for (index, row) in parsed.dropFirst().enumerated() {
            #expect(row[0] == String(index))
            #expect(row[1] == Self.tricky[index])
            #expect(Double(row[2]) == Double(index) / 3 - 1)
            #expect(row[3] == (index.isMultiple(of: 2) ? "" : String(index * 1_000_000_007)))
            #expect(row[4] == (index == 3 ? "x'00ff10'" : ""))
            #expect(row[5] == "inf")
        }
        #expect(csv.hasSuffix("\r\n"))
    }

    @Test func csvQuotesOnlyWhatNeedsQuotes() {
        #expect(CSVFormat.quoted("abc") == "abc")
        #expect(CSVFormat.quoted("a,b") == "\"a,b\"")
        #expect(CSVFormat.quoted("say \"hi\"") == "\"say \"\"hi\"\"\"")
        #expect(CSVFormat.quoted("two\nlines") == "\"two\nlines\"")
        #expect(CSVFormat.quoted("cr\r") == "\"cr\r\"")
        #expect(CSVFormat.quoted("") == "")
    }

    @Test func jsonKeepsNumbersAsNumbersAndNullAsNull() throws {
        let directory = try TemporaryDirectory()
        let database = try QueryDatabase(path: try Self.trickyDatabase(in: directory))
        let json = try render(in: directory) { sink in
            try database.withUserQuery(sql: "SELECT id, text, real, maybe, id AS id FROM t ORDER BY id") { try ResultFormat.json.write($0, to: sink) }
        }
        let parsed = try #require(JSONSerialization.jsonObject(with: Data(json.utf8)) as? [[String: Any]])
        #expect(parsed.count == Self.tricky.count)
        for (index, object) in parsed.enumerated() {
            #expect((object["id"] as? NSNumber)?.intValue == index)
            #expect((object["id_2"] as? NSNumber)?.intValue == index)
            #expect(object["text"] as? String == Self.tricky[index])
            #expect(abs(((object["real"] as? NSNumber)?.doubleValue ?? .nan) - (Double(index) / 3 - 1)) < 1e-12)
            if index.isMultiple(of: 2) {
                #expect(object["maybe"] is NSNull)
            } else {
                #expect((object["maybe"] as? NSNumber)?.int64Value == Int64(index * 1_000_000_007))
            }
        }
        // Python reads the numbers back exactly, with their types.
        let script = """
            import json, sys
            rows = json.load(sys.stdin)
            exact = all(row['real'] == row['id'] / 3 - 1 for row in rows)
            print(type(rows[1]['maybe']).__name__, type(rows[1]['real']).__name__, rows[0]['maybe'], exact)
            """
        let result = try python(script, input: json)
        #expect(result.output == "int float None True\n")
    }

    @Test func jsonLinesHasOneObjectPerLine() throws {
        let directory = try TemporaryDirectory()
        let database = try QueryDatabase(path: try Self.trickyDatabase(in: directory))
        let text = try render(in: directory) { sink in
            try database.withUserQuery(sql: "SELECT id, text FROM t ORDER BY id") { try ResultFormat.jsonl.write($0, to: sink) }
        }
        let lines = text.split(separator: "\n")
        #expect(lines.count == Self.tricky.count)
        for (index, line) in lines.enumerated() {
            let object = try #require(JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any])
            #expect(object["text"] as? String == Self.tricky[index])
        }
        let empty = try render(in: directory) { sink in
            try database.withUserQuery(sql: "SELECT id FROM t WHERE 0") { try ResultFormat.json.write($0, to: sink) }
        }
        #expect(try JSONSerialization.jsonObject(with: Data(empty.utf8)) as? [Any] != nil)
    }

    @Test func tableAlignsColumnsAndTruncatesNothing() throws {
        let long = String(repeating: "wide-", count: 40)
        let rows = RowArray(columns: ["name", "n"], rows: [
            [.text("a"), .integer(5)], [.text(long), .real(12.25)], [.null, .integer(-300)], [.text("two\nlines"), .null],
        ])
        let directory = try TemporaryDirectory()
        let text = try render(in: directory) { try TableFormat.write(rows, to: $0) }
        let lines = text.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        #expect(lines[0] == "name" + String(repeating: " ", count: long.count - 4) + "      n")
        #expect(lines[1] == String(repeating: "-", count: long.count) + "  " + String(repeating: "-", count: 5))
        #expect(lines[2] == "a" + String(repeating: " ", count: long.count - 1) + "      5")
        #expect(lines[3] == long + "  12.25")
        #expect(lines[4] == "NULL" + String(repeating: " ", count: long.count - 4) + "   -300")
        #expect(lines[5].hasPrefix("two\\nlines"))
        #expect(lines[5].hasSuffix("NULL"))
        #expect(lines[6] == "(4 rows)")
        // Every data line has the same width up to the last column.
        #expect(Set(lines[0...5].map(\.count)).count == 1)
    }

    @Test func largeTablesAreReadTwiceInsteadOfHeldInMemory() throws {
        let directory = try TemporaryDirectory()
        let database = try QueryDatabase(path: try Self.trickyDatabase(in: directory))
        let count = TableFormat.bufferLimit + 500
        let sql = "WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < \(count)) SELECT i, printf('%.*c', i % 7 + 1, 'x') AS s FROM n"
        let text = try render(in: directory) { sink in
            try database.withUserQuery(sql: sql) { try ResultFormat.table.write($0, to: sink) }
        }
        let lines = text.split(separator: "\n").map(String.init)
        #expect(lines.count == count + 3)
        #expect(lines.last == "(\(count) rows)")
        #expect(lines[2] == "    1  xx")
        #expect(lines[count + 1].hasPrefix("\(count)  "))
    }

    @Test func anOutputFileAppearsOnlyWhenComplete() throws {
        let directory = try TemporaryDirectory()
        let path = directory.path("result.csv")
        try "old".write(toFile: path, atomically: true, encoding: .utf8)
        do {
            let sink = try OutputSink.open(path: path, database: directory.path("search.db"))
            try sink.write("partial")
            try sink.flush()
            // Dropped without commit: the old file stays and no temporary file is left.
        }
        #expect(try String(contentsOfFile: path, encoding: .utf8) == "old")
        #expect(try FileManager.default.contentsOfDirectory(atPath: directory.url.path) == ["result.csv"])
    }
}
