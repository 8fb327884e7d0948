import Foundation
import NASTestSupport
import NASSearch
import NASSpace
import NASStore
import Synchronization

/// Wraps an evaluator and records every architecture it was asked to evaluate.
final class RecordingEvaluator: Evaluator {
    let inner: any Evaluator
    private let calls = Mutex<[String]>([])

    init(_ inner: any Evaluator) {
        self.inner = inner
    }

    var description: String { inner.description }

    var evaluatedKeys: [String] { calls.withLock { $0 } }

    func evaluate(_ request: EvaluationRequest) throws(EvaluationError) -> EvaluationResult {
        calls.withLock { $0.append(request.key) }
        return try inner.evaluate(request)
    }
}

/// Creates and runs searches in a temporary database, in process.
struct SearchHarness {
    let directory: TemporaryDirectory
    let store: Store

    init() throws {
        directory = try TemporaryDirectory()
        store = try Store(path: directory.path("search.db"))
    }

    static let examples = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("examples")

    static func example(_ name: String) throws -> SearchSpace {
        try SpecLoader.load(path: examples.appendingPathComponent(name).path)
    }

    /// Runs a search to its end and returns its id and outcome.
    @discardableResult
    func run(
        _ space: SearchSpace, evaluator: any Evaluator, name: String? = nil, strategy: SearchStrategy = .layernasPaper,
        seed: UInt64 = 1, buckets: Int? = nil, perBucket: Int? = nil, parents: Int? = nil, children: Int? = nil,
        strict: Bool = false, budget: Int? = nil
    ) throws -> (id: Int64, outcome: SearchOutcome) {
        let request = SearchRequest(
            name: name, space: space, strategy: strategy, evaluator: evaluator.description, seed: seed, buckets: buckets,
            perBucket: perBucket, parents: parents, children: children, layerwiseStrict: strict, budget: budget)
        let opened = try SearchSetup.open(store: store, request: request, defaultEvaluator: { _ in nil })
        let runner = SearchRunner(
            store: store, searchID: opened.record.id, space: opened.space, settings: opened.settings,
            evaluator: evaluator, owner: "test:\(getpid())", budget: opened.budget, timeLimitSeconds: nil)
        let outcome = try runner.run(isOwnerAlive: { _, _ in false })
        return (opened.record.id, outcome)
    }
}

/// Every architecture of a space, in key order.
func allArchitectures(_ space: SearchSpace) -> [Architecture] {
    var result: [[Int]] = [[]]
    for layer in space.layers {
        result = result.flatMap { prefix in layer.options.indices.map { prefix + [$0] } }
    }
    return result.map(Architecture.init)
}

/// Small random custom spaces: 2–4 layers of 2–4 options with random costs and a random window
/// that holds at least one architecture.
func randomCustomSpaces(count: Int, seed: UInt64) -> [SearchSpace] {
    var generator = SplitMix64(seed: seed)
    var spaces: [SearchSpace] = []
    while spaces.count < count {
        let layers = 2 + Int(generator.next() % 3)
        var lines: [String] = []
        for layer in 0..<layers {
            let options = 2 + Int(generator.next() % 3)
            let costs = (0..<options).map { index in "{label: o\(index), cost: \(1 + generator.next() % 9)}" }
            lines.append("  - {name: l\(layer), options: [\(costs.joined(separator: ", "))]}")
        }
        let low = 3 + generator.next() % 12
        let high = low + generator.next() % 8
        let text = "name: r\(spaces.count)\nfamily: custom\nlayers:\n\(lines.joined(separator: "\n"))\ntarget: {metric: cost, min: \(low), max: \(high)}\n"
        if let space = try? SpecLoader.parse(text: text, file: "random.yaml") { spaces.append(space) }
    }
    return spaces
}
