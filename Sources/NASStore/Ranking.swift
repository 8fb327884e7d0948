/// The one order of candidates, best first: higher score, then lower cost, then earlier
/// generation (`seq`). Buckets keep their members in this order, tournaments pick by it, and the
/// answer of a search is the first in-window candidate in it.
///
/// The views of migration 0002 (`bucket_best`, `search_progress`) spell the same order in SQL;
/// shipped migrations are never edited, so `RankingRuleTests` pins them equal to this rule.
package enum Ranking {
    /// The rule as an SQL `ORDER BY` list over a table with `score`, `cost` and `seq` columns.
    package static let sqlOrder = "score DESC, cost ASC, seq ASC"

    /// True when `a` ranks before `b`. A missing score ranks after every score.
    package static func precedes(
        _ a: (score: Double?, cost: Double, seq: Int), _ b: (score: Double?, cost: Double, seq: Int)
    ) -> Bool {
        let scoreA = a.score ?? -.infinity
        let scoreB = b.score ?? -.infinity
        if scoreA != scoreB { return scoreA > scoreB }
        if a.cost != b.cost { return a.cost < b.cost }
        return a.seq < b.seq
    }
}
