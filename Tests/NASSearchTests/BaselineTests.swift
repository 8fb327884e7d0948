import Foundation
import Testing
@testable import NASSearch
import NASSpace
import NASStore

@Suite struct BaselineTests {
    @Test func exhaustiveEvaluatesEveryInWindowArchitectureOnce() throws {
        let space = try SearchHarness.example("burger.yaml")
        let harness = try SearchHarness()
        let recorder = RecordingEvaluator(SyntheticEvaluator())
        let (_, outcome) = try harness.run(space, evaluator: recorder, strategy: .exhaustive)
        #expect(outcome == .finished(reason: "every in-window architecture has been generated"))
        let expected = allArchitectures(space).filter { space.target.contains(space.targetCost(of: $0)) }.map(space.key(of:))
        #expect(recorder.evaluatedKeys == expected)
        #expect(expected.count == 22)
    }

    @Test func randomSearchCoversTheWindowWithoutRepeats() throws {
        let space = try SearchHarness.example("burger.yaml")
        let harness = try SearchHarness()
        let recorder = RecordingEvaluator(SyntheticEvaluator())
        try harness.run(space, evaluator: recorder, strategy: .random, seed: 3)
        let keys = recorder.evaluatedKeys
        #expect(Set(keys).count == keys.count)
        #expect(keys.count == 22)
        #expect(keys.allSatisfy { key in space.target.contains(space.targetCost(of: try! space.architecture(key: key))) })
        let exhaustiveOrder = allArchitectures(space).filter { space.target.contains(space.targetCost(of: $0)) }.map(space.key(of:))
        #expect(keys != exhaustiveOrder)
    }

    @Test func evolutionMutatesOneLayerOfATournamentWinner() throws {
        let space = try SearchHarness.example("fashion-mlp.yaml")
        let harness = try SearchHarness()
        let (id, _) = try harness.run(space, evaluator: SyntheticEvaluator(), strategy: .evolution, budget: 60)
        let candidates = try harness.store.candidates(searchID: id)
        #expect(candidates.count == 60)
        #expect(Set(candidates.map(\.arch)).count == 60)
        let byID = Dictionary(uniqueKeysWithValues: candidates.map { ($0.id, $0) })
        let mutants = candidates.filter { $0.parentID != nil }
        #expect(mutants.count >= 15)
        for mutant in mutants {
            let parent = try #require(byID[mutant.parentID!])
            let differing = zip(parent.optionLabels, mutant.optionLabels).filter { $0 != $1 }.count
            #expect(differing == 1, "\(parent.arch) -> \(mutant.arch)")
            #expect(parent.seq < mutant.seq)
        }
        #expect(candidates.allSatisfy { space.target.contains($0.cost) })
    }
}
