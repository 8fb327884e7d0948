import Foundation
import Testing
@testable import NASSearch
import NASSpace
import NASStore

/// The paper's 3-layer example with a score table whose in-window best is unique.
@Suite struct BurgerSearchTests {
    /// Scores for all 64 architectures: cheaper is worse, plus a fixed per-architecture offset;
    /// C-B-D gets the unique top in-window score, as CBD (0.42) does in the paper.
    static func writeTable(for space: SearchSpace, to path: String) throws {
        var lines = ["arch,score,latency_ms"]
        for architecture in allArchitectures(space) {
            let key = space.key(of: architecture)
            let cost = space.targetCost(of: architecture)
            let offset = Double(architecture.optionIndices.enumerated().reduce(0) { $0 + ($1.offset + 1) * $1.element } % 7) / 100
            let score = key == "C-B-D" ? 0.95 : 0.2 + cost / 40 + offset
            lines.append("\(key),\(score),\(cost * 1.5)")
        }
        try lines.joined(separator: "\n").write(toFile: path, atomically: true, encoding: .utf8)
    }

    @Test func findsTheUniqueBestAndEvaluatesNothingThatCannotReachTheWindow() throws {
        let space = try SearchHarness.example("burger.yaml")
        let harness = try SearchHarness()
        let table = harness.directory.path("burger.csv")
        try Self.writeTable(for: space, to: table)
        let recorder = RecordingEvaluator(try TableEvaluator(path: table))
        let (id, outcome) = try harness.run(space, evaluator: recorder, buckets: 4, perBucket: 2)
        #expect(outcome != .interrupted)
        let best = try #require(try harness.store.bestCandidate(searchID: id))
        #expect(best.arch == "C-B-D")
        #expect(best.score == 0.95)
        for key in recorder.evaluatedKeys {
            #expect(space.targetCost(of: try space.architecture(key: key)) >= 8, "\(key) could not reach the window")
        }
        #expect(recorder.evaluatedKeys.count < 64)
        let stored = try harness.store.candidates(searchID: id).first { $0.arch == "C-B-D" }
        #expect(stored?.metricsJSON == #"{"latency_ms":13.5}"#)
    }

    @Test func keyMissingFromTheTableFailsThatCandidateAndTheSearchGoesOn() throws {
        let space = try SearchHarness.example("burger.yaml")
        let harness = try SearchHarness()
        let table = harness.directory.path("partial.csv")
        try Self.writeTable(for: space, to: table)
        let lines = try String(contentsOfFile: table, encoding: .utf8).split(separator: "\n").filter { !$0.hasPrefix("C-D-D,") }
        try lines.joined(separator: "\n").write(toFile: table, atomically: true, encoding: .utf8)
        let (id, outcome) = try harness.run(space, evaluator: try TableEvaluator(path: table), buckets: 4, perBucket: 2)
        guard case .finished = outcome else { Issue.record("search did not finish"); return }
        let failed = try harness.store.candidates(searchID: id).filter { $0.status == .failed }
        #expect(failed.map(\.arch) == ["C-D-D"])
        #expect(try harness.store.bestCandidate(searchID: id) != nil)
    }

    @Test func budgetStopsTheSearchAndRaisingItResumes() throws {
        let space = try SearchHarness.example("burger.yaml")
        let harness = try SearchHarness()
        let (id, outcome) = try harness.run(space, evaluator: SyntheticEvaluator(), buckets: 4, perBucket: 2, budget: 5)
        #expect(outcome == .finished(reason: "budget of 5 evaluations reached"))
        #expect(try harness.store.statusCounts(searchID: id)[.evaluated] == 5)
        let (_, second) = try harness.run(space, evaluator: SyntheticEvaluator(), buckets: 4, perBucket: 2, budget: 9)
        #expect(second == .finished(reason: "budget of 9 evaluations reached"))
        #expect(try harness.store.statusCounts(searchID: id)[.evaluated] == 9)
    }
}
