import Foundation
import NASTestSupport
import GRDB
import Testing

/// Readers never block a running search and are never blocked by it (WAL, busy timeouts, short
/// write transactions).
@Suite struct ConcurrentReaderTests {
    @Test func thousandsOfReadsDuringASearchSeeNoErrorOnEitherSide() throws {
        let directory = try TemporaryDirectory()
        let spec = try KillResumeTests.writeSlowSpace(in: directory)
        let db = directory.path("s.db")
        let search = Process()
        search.executableURL = URL(fileURLWithPath: CommandRunner.binary)
        search.arguments = ["search", db, "--space", spec, "--evaluator", "synthetic", "--buckets", "40", "--per-bucket", "3", "--budget", "700", "--quiet"]
        let searchErrors = Pipe()
        search.standardOutput = FileHandle.nullDevice
        search.standardError = searchErrors
        try search.run()
        try SearchCommandTests.waitForEvaluations(in: db, atLeast: 1)

        var configuration = Configuration()
        configuration.readonly = true
        configuration.busyMode = .timeout(0.5)
        let reader = try DatabasePool(path: db, configuration: configuration)
        var reads = 0
        var readErrors: [String] = []
        var commandReads = 0
        var lastCount = 0
        while search.isRunning || reads < 1_000 {
            do {
                let count = try reader.read { db in
                    _ = try Row.fetchAll(db, sql: """
                        SELECT m.layer, m.bucket, c.arch, c.score FROM memberships m JOIN candidates c ON c.id = m.candidate_id
                        WHERE m.state = 'kept' ORDER BY c.score DESC LIMIT 20
                        """)
                    return try Int.fetchOne(db, sql: "SELECT count(*) FROM candidates WHERE status = 'evaluated'") ?? 0
                }
                #expect(count >= lastCount, "a reader saw the evaluated count go backwards")
                lastCount = count
                reads += 1
            } catch {
                readErrors.append(String(describing: error))
            }
            if reads % 100 == 0 && search.isRunning {
                for arguments in [["status", db, "--format", "json"], ["query", db, "SELECT count(*) FROM candidates"]] {
                    let result = try CommandRunner.run(arguments)
                    #expect(result.status == 0, "\(arguments[0]) during the search: \(result.stderr)")
                    commandReads += 1
                }
            }
            if !search.isRunning && reads >= 1_000 { break }
        }
        search.waitUntilExit()
        let searchStderr = String(decoding: searchErrors.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        print("concurrent readers: \(reads) reads and \(commandReads) status/query runs during the search")
        #expect(search.terminationStatus == 0, "the search failed while being read: \(searchStderr)")
        #expect(!searchStderr.contains("error"), "\(searchStderr)")
        #expect(readErrors.isEmpty, "\(readErrors.prefix(3))")
        #expect(reads >= 1_000)
        #expect(commandReads >= 2)
    }
}
