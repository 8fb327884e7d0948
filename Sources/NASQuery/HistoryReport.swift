import GRDB
import NASStore

/// One evaluation in the history of a search.
package struct HistoryPoint: Sendable, Equatable {
    /// Position among the search's evaluations, from 1, in generation order (`seq`).
    package var evaluation: Int
    /// Row id of the candidate.
    package var candidateID: Int64
    /// Generation order within the search.
    package var seq: Int64
    /// Canonical key (labels joined by `-`).
    package var arch: String
    /// Evaluator's score.
    package var score: Double
    /// Value of the search's target metric.
    package var cost: Double
    /// Whether the cost falls inside the target window.
    package var inWindow: Bool
    /// Search layer that generated the candidate (nil for baseline strategies).
    package var layer: Int64?
    /// The best in-window candidate among evaluations 1...`evaluation` (`Ranking`), nil before
    /// the first in-window one.
    package var bestCandidateID: Int64?
    /// That candidate's score.
    package var bestScore: Double?
}

/// The evaluations of one search in order, with the best in-window result after each.
package struct SearchHistory: Sendable {
    /// The search.
    package var search: SearchSummary
    /// Every evaluated candidate, in generation order.
    package var points: [HistoryPoint]

    /// The answer: the evaluation of the best in-window candidate after the last evaluation.
    package var answer: HistoryPoint? {
        guard let id = points.last?.bestCandidateID else { return nil }
        return points.first { $0.candidateID == id }
    }
}

/// The histories of one or more searches of a database: what `layernas history` prints or draws.
package struct HistoryReport: Sendable {
    /// Path of the database.
    package var database: String
    /// One history per selected search.
    package var searches: [SearchHistory]

    /// One row per evaluation: `search`, `evaluation`, `candidate_id`, `seq`, `arch`, `score`,
    /// `cost`, `in_window`, `layer`, `best_candidate_id`, `best_score`.
    package var rows: RowArray {
        let columns = ["search", "evaluation", "candidate_id", "seq", "arch", "score", "cost", "in_window", "layer", "best_candidate_id", "best_score"]
        var rows: [[QueryValue]] = []
        for history in searches {
            for point in history.points {
                rows.append([
                    .text(history.search.name), .integer(Int64(point.evaluation)), .integer(point.candidateID),
                    .integer(point.seq), .text(point.arch), .real(point.score), .real(point.cost),
                    .integer(point.inWindow ? 1 : 0), point.layer.map(QueryValue.integer) ?? .null,
                    point.bestCandidateID.map(QueryValue.integer) ?? .null, point.bestScore.map(QueryValue.real) ?? .null,
                ])
            }
        }
        return RowArray(columns: columns, rows: rows)
    }
}

extension QueryDatabase {
    /// The history of every selected search: its evaluated candidates in generation order and
    /// the best in-window one after each, by `Ranking` (higher score, then lower cost, then
    /// earlier), the rule that picks a search's answer.
    package func historyReport(selection: SearchSelection) throws(QueryError) -> HistoryReport {
        let searches = try searches(selection)
        let path = self.path
        let histories = try read { db in
            try searches.map { search in
                var points: [HistoryPoint] = []
                var best: (id: Int64, score: Double, cost: Double, seq: Int)?
                let rows = try QueryReads.evaluationsInOrder(db, searchID: search.id)
                while let row = try rows.next() {
                    let score = QueryValue(row["score"] as DatabaseValue).doubleValue ?? .nan
                    let cost = QueryValue(row["cost"] as DatabaseValue).doubleValue ?? .nan
                    let seq: Int64 = row["seq"]
                    let inWindow = (QueryValue(row["in_window"] as DatabaseValue).doubleValue ?? 0) != 0
                    let id: Int64 = row["id"]
                    if inWindow, !score.isNaN {
                        let challenger = (id: id, score: score, cost: cost, seq: Int(seq))
                        if let current = best {
                            if Ranking.precedes((score, cost, Int(seq)), (current.score, current.cost, current.seq)) { best = challenger }
                        } else {
                            best = challenger
                        }
                    }
                    points.append(HistoryPoint(
                        evaluation: points.count + 1, candidateID: id, seq: seq,
                        arch: QueryValue(row["arch"] as DatabaseValue).plainText ?? "", score: score, cost: cost,
                        inWindow: inWindow, layer: row["layer"], bestCandidateID: best?.id, bestScore: best?.score))
                }
                return SearchHistory(search: search, points: points)
            }
        }
        return HistoryReport(database: path, searches: histories)
    }
}
