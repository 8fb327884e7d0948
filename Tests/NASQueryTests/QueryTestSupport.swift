import Foundation
import NASTestSupport
import GRDB
import NASQuery
import NASSearch
import NASSpace
import NASStore

/// A database with real searches, run in process with the synthetic evaluator.
struct SearchFixture {
    let directory: TemporaryDirectory
    let path: String

    static let examples = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("examples")

    static func example(_ name: String) throws -> SearchSpace {
        try SpecLoader.load(path: examples.appendingPathComponent(name).path)
    }

    init() throws {
        directory = try TemporaryDirectory()
        path = directory.path("search.db")
    }

    /// Runs a search to its end in the fixture's database.
    @discardableResult
    func run(_ space: SearchSpace, name: String? = nil, strategy: SearchStrategy = .layernasPaper, seed: UInt64 = 1,
             buckets: Int? = 4, perBucket: Int? = 2, budget: Int? = nil) throws -> Int64 {
        let store = try Store(path: path)
        let evaluator = SyntheticEvaluator(seed: seed)
        let request = SearchRequest(
            name: name, space: space, strategy: strategy, evaluator: evaluator.description, seed: seed,
            buckets: strategy.hasLayerStores ? buckets : nil, perBucket: strategy.hasLayerStores ? perBucket : nil, budget: budget)
        let opened = try SearchSetup.open(store: store, request: request, defaultEvaluator: { _ in nil })
        let runner = SearchRunner(
            store: store, searchID: opened.record.id, space: opened.space, settings: opened.settings,
            evaluator: evaluator, owner: "test:\(getpid())", budget: opened.budget, timeLimitSeconds: nil)
        _ = try runner.run(isOwnerAlive: { _, _ in false })
        return opened.record.id
    }

    /// The burger example searched with LayerNAS (4 buckets of 2).
    static func burger() throws -> SearchFixture {
        let fixture = try SearchFixture()
        try fixture.run(try example("burger.yaml"))
        return fixture
    }

    /// Reads with a plain GRDB connection (the test's view of the truth).
    func read<T>(_ work: (Database) throws -> T) throws -> T {
        try DatabaseQueue(path: path).read(work)
    }

    /// The database's content: the main file's bytes, and the WAL's when it holds frames (a
    /// read-only connection may leave an empty WAL and a shared-memory index beside the file).
    func bytes() throws -> [Data] {
        var result = [try Data(contentsOf: URL(fileURLWithPath: path))]
        if let wal = FileManager.default.contents(atPath: path + "-wal"), !wal.isEmpty { result.append(wal) }
        return result
    }
}

/// Collects a row source in memory.
func collect(_ rows: any RowSource) throws -> RowArray {
    var collected: [[QueryValue]] = []
    try rows.forEachRow { collected.append($0) }
    return RowArray(columns: rows.columns, rows: collected)
}

/// Writes through a temporary file sink and returns what was written.
func render(in directory: TemporaryDirectory, _ write: (OutputSink) throws -> Void) throws -> String {
    let path = directory.path("out-\(UUID().uuidString)")
    let sink = try OutputSink.open(path: path, database: directory.path("search.db"))
    try write(sink)
    try sink.commit()
    return try String(contentsOfFile: path, encoding: .utf8)
}

/// Runs `python3 -c script` with `input` on stdin; returns its exit status and stdout.
func python(_ script: String, input: String) throws -> (status: Int32, output: String) {
    let process = Process()
    process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
    process.arguments = ["python3", "-c", script]
    let stdin = Pipe()
    let stdout = Pipe()
    process.standardInput = stdin
    process.standardOutput = stdout
    try process.run()
    stdin.fileHandleForWriting.write(Data(input.utf8))
    try stdin.fileHandleForWriting.close()
    let data = stdout.fileHandleForReading.readDataToEndOfFile()
    process.waitUntilExit()
    return (process.terminationStatus, String(decoding: data, as: UTF8.self))
}
