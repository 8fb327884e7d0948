import GRDB

/// The reads of the dashboard (`NASServe`, docs/ARCHITECTURE.md#dashboard), run inside the
/// query layer's read-only transaction. They live here so that NASStore stays the only module
/// that names tables and columns; NASServe only chooses among the columns and filters below.
package enum DashboardReads {
    /// The candidate columns the table shows, sorts on and exports, in display order. Sorting and
    /// filtering take names from this list only, so no request text ever reaches SQL.
    package static let tableColumns = [
        "id", "seq", "arch", "status", "score", "cost", "madds", "params", "custom_cost", "in_window",
        "layer", "parent_id", "attempts", "seconds",
    ]

    /// Filters of the candidate table; nil means "any".
    package struct CandidateFilter: Sendable, Equatable {
        package var status: CandidateStatus?
        package var inWindow: Bool?
        /// The layer a candidate was generated at.
        package var layer: Int?
        /// A chosen option: the label at a layer (1-based) of `options_json`.
        package var option: (layer: Int, label: String)?

        package init(status: CandidateStatus? = nil, inWindow: Bool? = nil, layer: Int? = nil, option: (layer: Int, label: String)? = nil) {
            self.status = status
            self.inWindow = inWindow
            self.layer = layer
            self.option = option
        }

        package static func == (left: Self, right: Self) -> Bool {
            left.status == right.status && left.inWindow == right.inWindow && left.layer == right.layer
                && left.option?.layer == right.option?.layer && left.option?.label == right.option?.label
        }

        /// The WHERE clause (after `search_id = ?1`) and its arguments.
        func clause() -> (sql: String, arguments: [any DatabaseValueConvertible]) {
            var sql = ""
            var arguments: [any DatabaseValueConvertible] = []
            if let status {
                sql += " AND status = ?"
                arguments.append(status.rawValue)
            }
            if let inWindow {
                sql += " AND in_window = ?"
                arguments.append(inWindow ? 1 : 0)
            }
            if let layer {
                sql += " AND layer = ?"
                arguments.append(layer)
            }
            if let option {
                sql += " AND json_extract(options_json, '$[' || ? || ']') = ?"
                arguments.append(option.layer - 1)
                arguments.append(option.label)
            }
            return (sql, arguments)
        }
    }

    /// How many candidates of a search pass `filter`, counting at most `limit` (nil: all).
    package static func candidateCount(_ db: Database, searchID: Int64, filter: CandidateFilter, limit: Int? = nil) throws -> Int {
        let (clause, arguments) = filter.clause()
        let inner = "SELECT 1 FROM candidates WHERE search_id = ?\(clause)" + (limit == nil ? "" : " LIMIT ?")
        return try Int.fetchOne(db, sql: "SELECT count(*) FROM (\(inner))",
                                arguments: StatementArguments([searchID] + arguments + (limit.map { [$0] } ?? []))) ?? 0
    }

    /// Whether an index answers `filter` alone, so that counting every match stays fast on a
    /// million candidates: any filter but the option (a match inside `options_json`), since the
    /// sort indexes of migration 0007 carry status, window and layer.
    package static func isIndexed(_ filter: CandidateFilter) -> Bool {
        filter.option == nil
    }

    /// One page of the candidate table: `tableColumns` of the candidates passing `filter`, sorted
    /// on `sortColumn` (one of `tableColumns`; SQLite's order, so NULL first when ascending and
    /// last when descending), then by `id` (the order the candidates were stored in).
    ///
    /// The page's ids are chosen first by `pageIDs` and only those rows are read in full.
    package static func candidatePage(
        _ db: Database, searchID: Int64, filter: CandidateFilter, sortColumn: String, descending: Bool, limit: Int, offset: Int
    ) throws -> [Row] {
        let ids = pageIDs(searchID: searchID, filter: filter, sortColumn: sortColumn, descending: descending, limit: limit, offset: offset)
        return try Row.fetchAll(db, sql: """
            SELECT \(tableColumns.joined(separator: ", ")) FROM candidates WHERE id IN (\(ids.sql))
            ORDER BY \(order(sortColumn: sortColumn, descending: descending))
            """, arguments: ids.arguments)
    }

    /// The query choosing the ids of one page. Migration 0007 gives every sort column an index in
    /// the page's order that also holds the status, window and layer, so that SQLite answers this
    /// from the index alone, without sorting: a deep page of a million candidates then skips index
    /// entries, not rows. Only the option filter (a match inside `options_json`) reads rows.
    package static func pageIDs(
        searchID: Int64, filter: CandidateFilter, sortColumn: String, descending: Bool, limit: Int, offset: Int
    ) -> (sql: String, arguments: StatementArguments) {
        precondition(tableColumns.contains(sortColumn), "sort column \(sortColumn) is not a table column")
        let (clause, arguments) = filter.clause()
        return ("SELECT id FROM candidates WHERE search_id = ?\(clause) ORDER BY \(order(sortColumn: sortColumn, descending: descending)) LIMIT ? OFFSET ?",
                StatementArguments([searchID] + arguments + [limit, offset]))
    }

    private static func order(sortColumn: String, descending: Bool) -> String {
        let direction = descending ? "DESC" : "ASC"
        return sortColumn == "id" ? "id \(direction)" : "\(sortColumn) \(direction), id \(direction)"
    }

    /// Every candidate of a search, `tableColumns` plus `options_json`, in generation order: the CSV.
    package static func allCandidates(_ db: Database, searchID: Int64, filter: CandidateFilter) throws -> RowCursor {
        let (clause, arguments) = filter.clause()
        return try Row.fetchCursor(db, sql: """
            SELECT \(tableColumns.joined(separator: ", ")), options_json FROM candidates
            WHERE search_id = ?\(clause) ORDER BY seq
            """, arguments: StatementArguments([searchID] + arguments))
    }

    /// Every search row, in creation order.
    package static func searchRecords(_ db: Database) throws -> [SearchRecord] {
        try SearchRecord.order(SearchRecord.Columns.id).fetchAll(db)
    }

    /// Number of candidates of a search in each status (raw status names).
    package static func statusCounts(_ db: Database, searchID: Int64) throws -> [String: Int] {
        var counts: [String: Int] = [:]
        for row in try Row.fetchAll(db, sql: "SELECT status, count(*) AS n FROM candidates WHERE search_id = ? GROUP BY status",
                                    arguments: [searchID]) {
            counts[row["status"]] = row["n"]
        }
        return counts
    }

    /// One bucket of one layer store: kept and evicted members and the best kept score.
    package struct BucketFill: Sendable, Equatable {
        package var layer: Int
        package var bucket: Int
        package var kept: Int
        package var evicted: Int
        package var bestScore: Double?
    }

    /// Every non-empty bucket of every layer store of a search, by layer then bucket.
    package static func bucketFill(_ db: Database, searchID: Int64) throws -> [BucketFill] {
        try Row.fetchAll(db, sql: """
            SELECT m.layer, m.bucket, sum(m.state = 'kept') AS kept, sum(m.state = 'evicted') AS evicted,
                   max(CASE WHEN m.state = 'kept' THEN c.score END) AS best
            FROM memberships m JOIN candidates c ON c.id = m.candidate_id
            WHERE m.search_id = ? GROUP BY m.layer, m.bucket ORDER BY m.layer, m.bucket
            """, arguments: [searchID]).map { row in
            BucketFill(layer: row["layer"], bucket: row["bucket"], kept: row["kept"], evicted: row["evicted"], bestScore: row["best"])
        }
    }

    /// Layers of a search with their bucket count: `(layer, name, buckets)`, layer 1 first.
    package static func layers(_ db: Database, searchID: Int64) throws -> [(layer: Int, name: String, buckets: Int)] {
        try Row.fetchAll(db, sql: "SELECT layer, name, buckets FROM layers WHERE search_id = ? ORDER BY layer", arguments: [searchID])
            .map { (layer: $0["layer"], name: $0["name"], buckets: $0["buckets"]) }
    }

    /// Option labels of every layer of a search, layer 1 first, in option order.
    package static func optionLabels(_ db: Database, searchID: Int64) throws -> [Int: [String]] {
        var labels: [Int: [String]] = [:]
        for row in try Row.fetchAll(db, sql: "SELECT layer, label FROM options WHERE search_id = ? ORDER BY layer, option_index",
                                    arguments: [searchID]) {
            labels[row["layer"], default: []].append(row["label"])
        }
        return labels
    }

    /// One candidate with its search id, nil for an unknown id.
    package static func candidate(_ db: Database, id: Int64) throws -> (record: CandidateRecord, searchID: Int64)? {
        guard let row = try Row.fetchOne(db, sql: "SELECT * FROM candidates WHERE id = ?", arguments: [id]) else { return nil }
        return (try CandidateRecord(row: row), row["search_id"])
    }

    /// The events about one candidate, oldest first: `at, kind, message`.
    package static func events(_ db: Database, searchID: Int64, candidateID: Int64) throws -> [(at: String, kind: String, message: String)] {
        try Row.fetchAll(db, sql: """
            SELECT at, kind, message FROM events WHERE search_id = ? AND candidate_id = ? ORDER BY id
            """, arguments: [searchID, candidateID]).map { (at: $0["at"], kind: $0["kind"], message: $0["message"]) }
    }
}
