import Foundation
import GRDB
import NASSearch
import NASTestSupport
import Testing
@testable import NASQuery

/// `layernas history`: the report agrees with plain SQL over the stored candidates, and the SVG
/// draws every evaluation, the best-so-far line, the budget and the answer.
@Suite struct HistoryPlotTests {
    static func fixture() throws -> SearchFixture {
        let fixture = try SearchFixture()
        let space = try SearchFixture.example("fashion-mlp.yaml")
        try fixture.run(space, name: "paper", budget: 50)
        try fixture.run(space, name: "random", strategy: .random, seed: 3, budget: 30)
        return fixture
    }

    @Test func bestSoFarIsTheBestInWindowScoreUpToEachEvaluation() throws {
        let fixture = try Self.fixture()
        let report = try QueryDatabase(path: fixture.path).historyReport(selection: .named(["paper"]))
        let history = try #require(report.searches.first)
        try fixture.read { db in
            let searchID = try Int64.fetchOne(db, sql: "SELECT id FROM searches WHERE name = 'paper'")
            let ids = try Int64.fetchAll(db, sql: "SELECT id FROM candidates WHERE search_id = ? AND status = 'evaluated' ORDER BY seq", arguments: [searchID])
            #expect(history.points.map(\.candidateID) == ids, "one point per evaluation, in generation order")
            for point in history.points {
                let best = try Double.fetchOne(db, sql: """
                    SELECT max(score) FROM candidates
                    WHERE search_id = ? AND status = 'evaluated' AND in_window = 1 AND seq <= ?
                    """, arguments: [searchID, point.seq])
                #expect(point.bestScore == best, "evaluation \(point.evaluation)")
            }
            let answer = try Int64.fetchOne(db, sql: """
                SELECT id FROM candidates WHERE search_id = ? AND status = 'evaluated' AND in_window = 1
                ORDER BY score DESC, cost ASC, seq ASC LIMIT 1
                """, arguments: [searchID])
            #expect(history.answer?.candidateID == answer)
        }
        #expect(history.points.contains { !$0.inWindow } && history.points.contains(where: \.inWindow))
        let rows = report.rows
        #expect(rows.columns == ["search", "evaluation", "candidate_id", "seq", "arch", "score", "cost", "in_window", "layer", "best_candidate_id", "best_score"])
        #expect(rows.rows.count == history.points.count)
    }

    @Test func theSVGDrawsEveryEvaluationTheLinesTheBudgetsAndTheAnswers() throws {
        let fixture = try Self.fixture()
        let report = try QueryDatabase(path: fixture.path).historyReport(selection: .all)
        let plot = try SVGInspection(HistoryPlot.svg(report))
        let (evaluated, inWindow, layers) = try fixture.read { db in
            (try Int.fetchOne(db, sql: "SELECT count(*) FROM candidates WHERE status = 'evaluated'") ?? 0,
             try Int.fetchOne(db, sql: "SELECT count(*) FROM candidates WHERE status = 'evaluated' AND in_window = 1") ?? 0,
             try Int.fetchOne(db, sql: "SELECT count(DISTINCT coalesce(layer, 0)) FROM candidates WHERE status = 'evaluated'") ?? 0)
        }
        let dots = plot.marks("point")
        #expect(dots.count == evaluated)
        #expect(dots.allSatisfy { $0.title != nil && SVGInspection.candidateID(in: $0.title) != nil })
        #expect(plot.marks("in-window").count == inWindow)
        // Filled in the window, hollow outside it; the colour says the layer.
        #expect(plot.marks("in-window").allSatisfy { $0.attributes["fill"] != "#ffffff" })
        #expect(plot.marks("outside-window").allSatisfy { $0.attributes["fill"] == "#ffffff" })
        let colours = Set(dots.map { $0.classes.contains("in-window") ? $0.attributes["fill"] ?? "" : $0.attributes["stroke"] ?? "" })
        #expect(colours.count == layers, "one colour per generating layer")
        #expect(plot.marks("best-line").count == 2, "one line per search with --all")
        #expect(plot.marks("budget").count == 2)
        #expect(plot.marks("answer").count == 2)
        let answerIDs = Set(plot.marks("answer").compactMap { SVGInspection.candidateID(in: $0.title) })
        #expect(answerIDs == Set(report.searches.compactMap { $0.answer?.candidateID }))
        #expect(plot.marks("legend").count == 1 && plot.marks("key").count == 1)
        #expect(plot.texts.contains { $0.hasPrefix("paper (layernas-paper): ") && $0.hasSuffix(" / 50") })
        #expect(!plot.texts.contains { $0.contains("accuracy") }, "a synthetic score is not called accuracy")
    }

    @Test func theBudgetLineSitsAtTheBudgetOnTheEvaluationAxis() throws {
        let fixture = try Self.fixture()
        let report = try QueryDatabase(path: fixture.path).historyReport(selection: .named(["random"]))
        let plot = try SVGInspection(HistoryPlot.svg(report))
        let budget = try #require(plot.marks("budget").first)
        // The dots of evaluations 1 and 30 (the last): the budget line of 30 passes through the latter.
        let xs = plot.marks("point").compactMap { $0.number("cx") }.sorted()
        #expect(xs.count == 30)
        #expect(abs((budget.number("x1") ?? 0) - xs.last!) < 0.02)
        #expect(plot.texts.contains("budget 30"))
    }
}
