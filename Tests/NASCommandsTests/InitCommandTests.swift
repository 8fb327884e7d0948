import Foundation
import NASTestSupport
import GRDB
import Testing

@Suite struct InitCommandTests {
    @Test func initCreatesADatabaseAndIsIdempotent() throws {
        let directory = try TemporaryDirectory()
        let path = directory.path("s.db")
        let first = try CommandRunner.run(["init", path])
        #expect(first.status == 0, "\(first.stderr)")
        let second = try CommandRunner.run(["init", path])
        #expect(second.status == 0)
        #expect(second.stdout == first.stdout)
    }

    @Test func binaryCopiedElsewhereCarriesItsSchema() throws {
        let directory = try TemporaryDirectory()
        let copy = directory.path("layernas")
        try FileManager.default.copyItem(atPath: CommandRunner.binary, toPath: copy)
        let result = try CommandRunner.run(["init", directory.path("s.db")], executable: copy, directory: directory.url)
        #expect(result.status == 0, "\(result.stderr)")
        let queue = try DatabaseQueue(path: directory.path("s.db"))
        let tables = try queue.read { db in try Int.fetchOne(db, sql: "SELECT count(*) FROM sqlite_master WHERE name = 'candidates'") }
        #expect(tables == 1)
    }

    @Test func newerDatabaseIsRefusedWithExitTwoAndLeftUnchanged() throws {
        let directory = try TemporaryDirectory()
        let path = directory.path("s.db")
        #expect(try CommandRunner.run(["init", path]).status == 0)
        do {
            let queue = try DatabaseQueue(path: path)
            try queue.write { db in try db.execute(sql: "INSERT INTO grdb_migrations VALUES ('9999_future')") }
        }
        let before = FileManager.default.contents(atPath: path)
        let result = try CommandRunner.run(["init", path])
        #expect(result.status == 2)
        #expect(result.stderrLines.count == 1)
        #expect(result.stderr.contains("written by a newer layernas"))
        #expect(FileManager.default.contents(atPath: path) == before)
    }

    @Test func nonDatabaseFileIsRefusedWithExitTwo() throws {
        let directory = try TemporaryDirectory()
        let path = directory.path("notes.txt")
        try Data("hello".utf8).write(to: URL(fileURLWithPath: path))
        let result = try CommandRunner.run(["init", path])
        #expect(result.status == 2)
        #expect(result.stderrLines == ["error: \(path): not an SQLite database"])
    }
}
