import Foundation
import GRDB
import Testing
@testable import NASSearch
import NASSpace
import NASStore

/// Properties of the default `layernas` strategy (docs/ARCHITECTURE.md#anytime-layernas), on many
/// small random spaces and on larger custom spaces, with synthetic scores.
@Suite struct AnytimeLayerNASPropertyTests {
    static let spaces = randomCustomSpaces(count: 24, seed: 77)

    /// 5 layers of 6 options (7,776 architectures) with irregular costs and a middle window.
    static let wideSpace: SearchSpace = {
        let costs = [[1, 3, 4, 7, 9, 12], [2, 3, 5, 6, 8, 11], [1, 2, 4, 6, 9, 13], [1, 4, 5, 8, 9, 10], [2, 3, 6, 7, 10, 12]]
        var text = "name: wide\nfamily: custom\nlayers:\n"
        for (layer, options) in costs.enumerated() {
            let list = options.enumerated().map { "{label: o\($0.offset), cost: \($0.element)}" }.joined(separator: ", ")
            text += "  - {name: l\(layer + 1), options: [\(list)]}\n"
        }
        text += "target: {metric: cost, min: 24, max: 31}\n"
        return try! SpecLoader.parse(text: text, file: "wide.yaml")
    }()

    @Test(arguments: 0..<24)
    func everyCandidateIsInTheWindowAndEvaluatedOnce(index: Int) throws {
        let space = Self.spaces[index]
        let recorder = RecordingEvaluator(SyntheticEvaluator(seed: 7))
        let harness = try SearchHarness()
        let (id, outcome) = try harness.run(space, evaluator: recorder, strategy: .layernas, buckets: 4, perBucket: 1)
        guard case .finished = outcome else { Issue.record("search did not finish"); return }
        let keys = recorder.evaluatedKeys
        #expect(Set(keys).count == keys.count, "an architecture was evaluated twice")
        let candidates = try harness.store.candidates(searchID: id)
        #expect(candidates.count == keys.count, "a candidate was generated but not evaluated")
        for candidate in candidates {
            #expect(candidate.status == .evaluated && candidate.inWindow, "\(candidate.arch): \(candidate.status), in window \(candidate.inWindow)")
            #expect(space.target.contains(space.targetCost(of: try space.architecture(key: candidate.arch))))
        }
    }

    /// The search starts from the paper's base model when it lies in the window; otherwise every
    /// seed is drawn in the window (the random spaces have both cases).
    @Test func theBaseModelIsEvaluatedFirstExactlyWhenItIsInTheWindow() throws {
        var withBase = 0
        for space in Self.spaces {
            let harness = try SearchHarness()
            let (id, _) = try harness.run(space, evaluator: SyntheticEvaluator(seed: 5), strategy: .layernas, buckets: 2, perBucket: 1)
            let first = try #require(try harness.store.candidates(searchID: id).first)
            let base = space.defaultArchitecture
            let baseInWindow = space.target.contains(space.targetCost(of: base))
            if baseInWindow { withBase += 1 }
            #expect((first.arch == space.key(of: base)) == baseInWindow, "\(space.name): first \(first.arch)")
        }
        #expect(withBase > 0 && withBase < Self.spaces.count, "the spaces should cover both cases")
    }

    /// A child changes its parent at the recorded layer and keeps every layer before it: the
    /// layers after it may only be repaired into the window.
    @Test(arguments: 0..<24)
    func aChildChangesItsParentAtItsLayerAndKeepsTheLayersBefore(index: Int) throws {
        let space = Self.spaces[index]
        let harness = try SearchHarness()
        let (id, _) = try harness.run(space, evaluator: SyntheticEvaluator(seed: 3), strategy: .layernas, buckets: 2, perBucket: 2)
        let candidates = try harness.store.candidates(searchID: id)
        let byID = Dictionary(uniqueKeysWithValues: candidates.map { ($0.id, $0) })
        for candidate in candidates {
            guard let parentID = candidate.parentID else {
                #expect(candidate.layer == nil, "a seed has no layer")
                continue
            }
            let parent = try space.architecture(key: try #require(byID[parentID]).arch)
            let child = try space.architecture(key: candidate.arch)
            let layer = try #require(candidate.layer)
            #expect(Array(child.optionIndices.prefix(layer - 1)) == Array(parent.optionIndices.prefix(layer - 1)))
            #expect(child.optionIndices[layer - 1] != parent.optionIndices[layer - 1])
        }
    }

    /// Evaluations never exceed 3 · k · H · Σ|S_i|: run without a budget on a space with far more
    /// in-window architectures than the bound, at the coarsest settings.
    @Test(arguments: [(1, 1), (2, 1), (2, 2)])
    func evaluationsStayWithinThePolynomialBound(buckets: Int, perBucket: Int) throws {
        let space = Self.wideSpace
        let inWindow = allArchitectures(space).filter { space.target.contains(space.targetCost(of: $0)) }.count
        let bound = 3 * perBucket * buckets * space.layers.reduce(0) { $0 + $1.options.count }
        #expect(inWindow > bound)
        let recorder = RecordingEvaluator(SyntheticEvaluator(seed: 11))
        let harness = try SearchHarness()
        let (_, outcome) = try harness.run(space, evaluator: recorder, strategy: .layernas, buckets: buckets, perBucket: perBucket)
        guard case .finished = outcome else { Issue.record("search did not finish"); return }
        #expect(recorder.evaluatedKeys.count <= bound)
    }

    /// Nothing a step decides depends on the budget: a budget-B run is the start of a longer one.
    @Test(arguments: [UInt64(1), 2, 3])
    func aShortRunIsThePrefixOfALongerOne(seed: UInt64) throws {
        func rows(budget: Int) throws -> [String] {
            let harness = try SearchHarness()
            let (id, _) = try harness.run(Self.wideSpace, evaluator: SyntheticEvaluator(seed: 5), strategy: .layernas, seed: seed, budget: budget)
            return try harness.store.candidates(searchID: id).map { "\($0.seq) \($0.arch) \($0.parentID ?? 0) \($0.layer ?? 0) \($0.score ?? -1)" }
        }
        let short = try rows(budget: 40)
        let long = try rows(budget: 160)
        #expect(short.count == 40 && long.count == 160)
        #expect(Array(long.prefix(40)) == short)
    }

    /// It is a searcher, not a random walk: on a smooth landscape it beats the median of random
    /// search at the same budget, over several seeds (same scores, same window).
    @Test func beatsRandomSearchOnASmoothLandscape() throws {
        let space = Self.wideSpace
        let evaluator = SmoothEvaluator()
        func bestScore(_ strategy: SearchStrategy, seed: UInt64) throws -> Double {
            let harness = try SearchHarness()
            let (id, _) = try harness.run(space, evaluator: evaluator, strategy: strategy, seed: seed, budget: 60)
            return try #require(try harness.store.bestCandidate(searchID: id)?.score)
        }
        var wins = 0
        for seed in UInt64(1)...7 where try bestScore(.layernas, seed: seed) > bestScore(.random, seed: seed) { wins += 1 }
        #expect(wins >= 5, "layernas beat random search in \(wins) of 7 seeds")
    }
}

/// Scores that rise smoothly towards one option per layer (an additive landscape with a unique
/// optimum), so a local search has something to climb.
struct SmoothEvaluator: Evaluator {
    var description: String { "synthetic:99" }

    func score(of architecture: Architecture) -> Double {
        let peaks = [4, 1, 3, 2, 5]
        var score = 0.0
        for (layer, option) in architecture.optionIndices.enumerated() {
            let distance = Double(option - peaks[layer % peaks.count])
            score += 1.0 / (1.0 + distance * distance)
        }
        return score / Double(architecture.optionIndices.count)
    }

    func evaluate(_ request: EvaluationRequest) throws(EvaluationError) -> EvaluationResult {
        EvaluationResult(score: score(of: request.architecture))
    }
}
