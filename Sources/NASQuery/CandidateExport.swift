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
public enum CandidateExport {
    /// The columns an export of `searches` has.
    public static func columns(for searches: [SearchSummary]) -> [String] {
        selections(for: searches).map(\.name)
    }

    static func selections(for searches: [SearchSummary]) -> [(name: String, expression: String)] {
        let families = Set(searches.map(\.family))
        var result: [(name: String, expression: String)] = [
            ("search", "s.name"), ("candidate_id", "c.id"), ("seq", "c.seq"), ("arch", "c.arch"), ("status", "c.status"),
            ("score", "c.score"), ("target_metric", "s.target_metric"), ("cost", "c.cost"),
        ]
        if families.contains(.custom) { result.append(("custom_cost", "c.custom_cost")) }
        if families.contains(.mlp) || families.contains(.cnn) {
            result.append(("madds", "c.madds"))
            result.append(("params", "c.params"))
        }
        result += [
            ("in_window", "c.in_window"), ("layer", "c.layer"), ("step", "c.step"), ("parent_id", "c.parent_id"),
            ("parent", "p.arch"), ("attempts", "c.attempts"), ("seconds", "c.seconds"), ("error", "c.error"),
        ]
        let layers = searches.map(\.layerNames.count).max() ?? 0
        for layer in 0..<layers {
            result.append(("option_\(layer + 1)", "json_extract(c.options_json, '$[\(layer)]')"))
        }
        result.append(("metrics_json", "c.metrics_json"))
        return result
    }

    static func sql(for searches: [SearchSummary]) -> String {
        let list = selections(for: searches).map { "\($0.expression) AS \"\($0.name)\"" }.joined(separator: ", ")
        return """
            SELECT \(list)
            FROM candidates c JOIN searches s ON s.id = c.search_id LEFT JOIN candidates p ON p.id = c.parent_id
            WHERE c.search_id = ?1 ORDER BY c.seq
            """
    }
}

extension QueryDatabase {
    /// Writes every candidate of the selected searches to `sink` in `format`.
    public func exportCandidates(selection: SearchSelection, format: ResultFormat, to sink: OutputSink) throws(QueryError) {
        let searches = try searches(selection)
        let path = self.path
        let sql = CandidateExport.sql(for: searches)
        try read { db in
            guard let connection = db.sqliteConnection else { throw QueryError.database(path: path, message: "connection closed") }
            let statement = try PreparedStatement.compile(sql, connection: connection)
            let rows = SearchByParameterRows(statement: statement, parameters: searches.map { .integer($0.id) }, path: path)
            try format.write(rows, to: sink)
        }
    }
}

/// The rows of one statement run once per parameter value, one after another.
struct SearchByParameterRows: RowSource {
    let statement: PreparedStatement
    let parameters: [QueryValue]
    let path: String

    var columns: [String] { statement.columns }

    func forEachRow(_ body: ([QueryValue]) throws -> Void) throws {
        for parameter in parameters {
            statement.reset()
            statement.bind([parameter])
            try StatementRows(statement: statement, path: path).forEachRow(body)
        }
    }
}
