import GRDB
import NASStore
import NASSpace

/// `layernas export`: every candidate of the selected searches, one row each, streamed.
///
/// Columns, in order: `search`, `candidate_id`, `seq`, `arch` (canonical key), `status`,
/// `score`, `target_metric`, `cost` (the target metric's value), then one column per cost
/// metric the searches' families compute (`custom_cost` for custom spaces; `madds`, `params`
/// for mlp and cnn), `in_window`, lineage (`layer`, `step`, `parent_id`, `parent` — the parent's
/// key), `attempts`, `seconds`, `error`, the chosen option label of every layer (`option_1`
/// ... `option_L`, L the most layers among the searches) and `metrics_json` (extra metrics of
/// table evaluators). Rows come search by search, in generation order.
package enum CandidateExport {
    /// The columns that hold a flag (0/1 in SQLite), written as JSON booleans as `pareto` does.
    package static let booleanColumns: Set<String> = ["in_window"]

    /// The columns an export of `searches` has.
    package static func columns(for searches: [SearchSummary]) -> [String] {
        selections(for: searches).map(\.name)
    }

    static func selections(for searches: [SearchSummary]) -> [(name: String, expression: String)] {
        let families = Set(searches.map(\.family))
        // Every column is one of the `candidate_details` view (migrations/0002), which owns the
        // join of candidates, their search and their parent.
        var result: [(name: String, expression: String)] = [
            ("search", "search"), ("candidate_id", "candidate_id"), ("seq", "seq"), ("arch", "arch"), ("status", "status"),
            ("score", "score"), ("target_metric", "target_metric"), ("cost", "cost"),
        ]
        if families.contains(.custom) { result.append(("custom_cost", "custom_cost")) }
        if families.contains(where: \.buildsNetwork) {
            result.append(("madds", "madds"))
            result.append(("params", "params"))
        }
        result += [
            ("in_window", "in_window"), ("layer", "layer"), ("step", "step"), ("parent_id", "parent_id"),
            ("parent", "parent"), ("attempts", "attempts"), ("seconds", "seconds"), ("error", "error"),
        ]
        let layers = searches.map(\.layerNames.count).max() ?? 0
        for layer in 0..<layers {
            result.append(("option_\(layer + 1)", "json_extract(options_json, '$[\(layer)]')"))
        }
        result.append(("metrics_json", "metrics_json"))
        return result
    }

    static func sql(for searches: [SearchSummary]) -> String {
        QueryReads.candidateDetailsSQL(selections: selections(for: searches))
    }
}

extension QueryDatabase {
    /// Writes every candidate of the selected searches to `sink` in `format`.
    package func exportCandidates(selection: SearchSelection, format: ResultFormat, to sink: OutputSink) throws(QueryError) {
        let searches = try searches(selection)
        let path = self.path
        let sql = CandidateExport.sql(for: searches)
        try read { db in
            let statement = try db.makeStatement(sql: sql)
            let rows = SearchByParameterRows(statement: statement, parameters: searches.map(\.id), path: path)
            try format.write(rows, to: sink, booleans: CandidateExport.booleanColumns)
        }
    }
}
