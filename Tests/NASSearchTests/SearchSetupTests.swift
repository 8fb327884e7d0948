import Foundation
import NASTestSupport
import Testing
@testable import NASSearch
import NASSpace
import NASStore

@Suite struct SearchSetupTests {
    @Test func resumingWithAChangedSpaceIsRefusedNamingTheDifference() throws {
        let space = try SearchHarness.example("burger.yaml")
        let harness = try SearchHarness()
        try harness.run(space, evaluator: SyntheticEvaluator(), budget: 3)
        var changed = space
        changed.layers[1].options[2].kind = .custom(cost: 5)
        let request = SearchRequest(space: changed, evaluator: "synthetic")
        #expect(throws: SearchError.mismatch("search 'burger' was created with a different space: layers[1].options[2]: stored C (cost=3), given C (cost=5); use --name to start a new search")) {
            try SearchSetup.check(store: harness.store, request: request, defaultEvaluator: { _ in nil })
        }
    }

    @Test func resumingWithAnotherCNNHeadIsRefusedNamingIt() throws {
        let space = try SearchHarness.example("fashion-cnn-pooled.yaml")
        let harness = try SearchHarness()
        try harness.run(space, evaluator: SyntheticEvaluator(), budget: 2)
        var changed = space
        changed.head = .globalAveragePool
        let request = SearchRequest(space: changed, evaluator: "synthetic")
        #expect(throws: SearchError.mismatch("search 'fashion-cnn-pooled' was created with a different space: head: stored flatten, given global_average_pool; use --name to start a new search")) {
            try SearchSetup.check(store: harness.store, request: request, defaultEvaluator: { _ in nil })
        }
        // The same spec again resumes: the stored space reads back equal.
        #expect(throws: Never.self) {
            try SearchSetup.check(store: harness.store, request: SearchRequest(space: space, evaluator: "synthetic"), defaultEvaluator: { _ in nil })
        }
    }

    @Test func resumingWithAChangedSettingIsRefusedButBudgetsMayChange() throws {
        let space = try SearchHarness.example("burger.yaml")
        let harness = try SearchHarness()
        try harness.run(space, evaluator: SyntheticEvaluator(), buckets: 4, budget: 3)
        let changed = SearchRequest(space: space, evaluator: "synthetic", buckets: 8)
        #expect(throws: SearchError.self) {
            try SearchSetup.check(store: harness.store, request: changed, defaultEvaluator: { _ in nil })
        }
        let extended = SearchRequest(space: space, budget: 10)
        let opened = try SearchSetup.open(store: harness.store, request: extended, defaultEvaluator: { _ in nil })
        #expect(opened.budget == 10)
        #expect(opened.settings.buckets == 4)
        #expect(!opened.created)
    }

    @Test func badSettingsAreRefused() throws {
        let space = try SearchHarness.example("burger.yaml")
        let harness = try SearchHarness()
        for request in [
            SearchRequest(space: space, evaluator: "synthetic", buckets: 0),
            SearchRequest(space: space, evaluator: "synthetic", budget: -1),
            SearchRequest(space: space, evaluator: "synthetic", perBucket: 0),
            SearchRequest(space: space),
        ] {
            #expect(throws: SearchError.self) {
                try SearchSetup.open(store: harness.store, request: request, defaultEvaluator: { _ in nil })
            }
        }
        #expect(try harness.store.searches().isEmpty)
    }

    @Test func severalSearchesLiveInOneDatabase() throws {
        let space = try SearchHarness.example("burger.yaml")
        let harness = try SearchHarness()
        try harness.run(space, evaluator: SyntheticEvaluator(), name: "layernas-run")
        try harness.run(space, evaluator: SyntheticEvaluator(), name: "random-run", strategy: .random, budget: 10)
        #expect(try harness.store.searches().map(\.name) == ["layernas-run", "random-run"])
        #expect(throws: SearchError.self) {
            try SearchSetup.open(store: harness.store, request: SearchRequest(), defaultEvaluator: { _ in nil })
        }
    }

    @Test func tableWithDuplicateOrNonNumericRowsIsRefusedNamingTheLine() throws {
        let directory = try TemporaryDirectory()
        let path = directory.path("t.csv")
        try "arch,score\nA-B,0.5\nA-B,0.6\n".write(toFile: path, atomically: true, encoding: .utf8)
        #expect(throws: SearchError.badTable(path: path, line: 3, message: "arch 'A-B' appears twice")) { try TableEvaluator(path: path) }
        try "arch,score\nA-B,zero\n".write(toFile: path, atomically: true, encoding: .utf8)
        #expect(throws: SearchError.badTable(path: path, line: 2, message: "score must be a finite number, got 'zero'")) { try TableEvaluator(path: path) }
        try "name,accuracy\n".write(toFile: path, atomically: true, encoding: .utf8)
        #expect(throws: SearchError.self) { try TableEvaluator(path: path) }
    }
}
