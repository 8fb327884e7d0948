import GRDB

/// The reads of the query layer (`NASQuery`), run inside its own read-only transaction on its
/// guarded connection. They live here so that NASStore stays the only module that names tables
/// and views; NASQuery chooses columns and computes fronts and formats.
package enum QueryReads {
    /// Layer names of every search, layer 1 first.
    package static func layerNamesBySearch(_ db: Database) throws -> [Int64: [String]] {
        var names: [Int64: [String]] = [:]
        let rows = try Row.fetchCursor(db, sql: "SELECT search_id, name FROM layers ORDER BY search_id, layer")
        while let row = try rows.next() {
            names[row["search_id"], default: []].append(row["name"] ?? "")
        }
        return names
    }

    /// Every search in creation order, with columns `id, name, strategy, family, target_metric,
    /// target_min, target_max, evaluator, budget`.
    package static func searches(_ db: Database) throws -> RowCursor {
        try Row.fetchCursor(db, sql: """
            SELECT id, name, strategy, family, target_metric, target_min, target_max, evaluator, budget
            FROM searches ORDER BY id
            """)
    }

    /// Every evaluated candidate of a search in generation order (`seq`, the order evaluations
    /// start in), with columns `id, seq, arch, score, cost, in_window, layer`: the history plot.
    package static func evaluationsInOrder(_ db: Database, searchID: Int64) throws -> RowCursor {
        try Row.fetchCursor(db, sql: """
            SELECT id, seq, arch, score, cost, in_window, layer FROM candidates
            WHERE search_id = ?1 AND status = 'evaluated' ORDER BY seq
            """, arguments: [searchID])
    }

    /// The answer of a search: its best evaluated in-window candidate by `Ranking`, as `id` (nil
    /// when no candidate in the window is evaluated yet).
    package static func answerID(_ db: Database, searchID: Int64) throws -> Int64? {
        try Int64.fetchOne(db, sql: """
            SELECT id FROM candidates WHERE search_id = ?1 AND status = 'evaluated' AND in_window = 1
            ORDER BY \(Ranking.sqlOrder) LIMIT 1
            """, arguments: [searchID])
    }

    /// One candidate by id with its search's name: `id, search, arch, status, score, cost,
    /// in_window`; nil for an unknown id.
    package static func candidateWithSearch(_ db: Database, id: Int64) throws -> Row? {
        try Row.fetchOne(db, sql: """
            SELECT c.id, s.name AS search, c.arch, c.status, c.score, c.cost, c.in_window
            FROM candidates c JOIN searches s ON s.id = c.search_id WHERE c.id = ?1
            """, arguments: [id])
    }

    /// The stored learning curve of a candidate's latest attempt that has one: `attempt, epoch,
    /// train_loss, train_accuracy, validation_accuracy, seconds`, by epoch.
    package static func epochs(_ db: Database, candidateID: Int64) throws -> RowCursor {
        try Row.fetchCursor(db, sql: """
            SELECT attempt, epoch, train_loss, train_accuracy, validation_accuracy, seconds FROM epochs
            WHERE candidate_id = ?1 AND attempt = (SELECT max(attempt) FROM epochs WHERE candidate_id = ?1)
            ORDER BY epoch
            """, arguments: [candidateID])
    }

    /// `id` then the given candidate columns of every evaluated candidate of a search; with
    /// `lastStoreOnly`, only the kept members of the last layer's store M_L. Unordered: for the
    /// default objectives the covering index answers alone.
    package static func evaluatedCandidates(
        _ db: Database, searchID: Int64, columns: [String], lastStoreOnly: Bool
    ) throws -> RowCursor {
        let list = columns.map { "c.\($0)" }.joined(separator: ", ")
        let sql = lastStoreOnly
            ? """
                SELECT c.id, \(list) FROM memberships m JOIN candidates c ON c.id = m.candidate_id
                WHERE m.search_id = ?1 AND m.state = 'kept' AND c.status = 'evaluated'
                  AND m.layer = (SELECT max(layer) FROM layers WHERE search_id = ?1)
                """
            : "SELECT c.id, \(list) FROM candidates c WHERE c.search_id = ?1 AND c.status = 'evaluated'"
        return try Row.fetchCursor(db, sql: sql, arguments: [searchID])
    }

    /// A statement reading one candidate by id (`?1`): `seq, arch, options_json, score, cost,
    /// custom_cost, madds, params, in_window, layer` and the extra columns.
    package static func candidateByID(_ db: Database, extraColumns: [String]) throws -> Statement {
        let extra = extraColumns.isEmpty ? "" : ", " + extraColumns.joined(separator: ", ")
        return try db.makeStatement(sql: """
            SELECT seq, arch, options_json, score, cost, custom_cost, madds, params, in_window, layer\(extra)
            FROM candidates WHERE id = ?1
            """)
    }

    /// SQL reading the given expressions over the `candidate_details` view for one search
    /// (`?1`), in generation order.
    package static func candidateDetailsSQL(selections: [(name: String, expression: String)]) -> String {
        let list = selections.map { "\($0.expression) AS \"\($0.name)\"" }.joined(separator: ", ")
        return """
            SELECT \(list)
            FROM candidate_details
            WHERE search_id = ?1 ORDER BY seq
            """
    }
}
