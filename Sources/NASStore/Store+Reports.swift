import GRDB
import NASSpace

/// Fill of one layer's store, for `status`.
package struct LayerFill: Sendable, Equatable {
    /// Layer index in the search space.
    package var layer: Int
    /// Layer's name in the search space.
    package var name: String
    /// Candidates currently kept for the layer.
    package var kept: Int
    /// Buckets holding at least one kept candidate.
    package var bucketsUsed: Int
    /// Total number of cost buckets.
    package var buckets: Int
    /// Candidates evicted from the layer's buckets.
    package var evicted: Int
    /// Kept candidates already used as parents.
    package var expanded: Int
}

/// One candidate with everything a report shows.
package struct CandidateDetail: Sendable, Equatable, Decodable, FetchableRecord, TableRecord {
    /// Table the candidate rows live in.
    package static let databaseTableName = "candidates"
    /// Maps snake_case columns onto the camelCase properties.
    package static let databaseColumnDecodingStrategy = DatabaseColumnDecodingStrategy.convertFromSnakeCase

    /// The columns reports filter and sort on, for typed requests.
    package enum Columns {
        /// Column holding the owning search's id.
        package static let searchID = Column("search_id")
        /// Column holding the candidate's creation order in its search.
        package static let seq = Column("seq")
        /// Column holding the candidate's evaluation status.
        package static let status = Column("status")
        /// Column telling whether the cost is inside the target window.
        package static let inWindow = Column("in_window")
    }

    /// Row id of the candidate.
    package var id: Int64
    /// Architecture key, the chosen option of each layer.
    package var arch: String
    /// Labels of the chosen option for each layer.
    package var optionLabels: [String]
    /// Candidate's cost in the search's target metric.
    package var cost: Double
    /// Multiply-adds, if computed.
    package var madds: Int?
    /// Parameter count, if computed.
    package var params: Int?
    /// Cost from a custom cost command, if any.
    package var customCost: Double?
    /// Where the candidate is in its evaluation lifecycle.
    package var status: CandidateStatus
    /// Evaluator's score, once evaluated.
    package var score: Double?
    /// Search layer at which the candidate was generated (nil for baseline strategies).
    package var layer: Int?
    /// Candidate this one was mutated from, if any.
    package var parentID: Int64?
    /// Order in which the candidate was created within its search.
    package var seq: Int
    /// Extra metrics reported by the evaluator, as JSON.
    package var metricsJSON: String?
    /// Training recipe used, as JSON.
    package var recipeJSON: String?

    private enum CodingKeys: String, CodingKey {
        case id, arch, optionLabels = "optionsJson", cost, madds, params, customCost, status, score, layer
        case parentID = "parentId", seq, metricsJSON = "metricsJson", recipeJSON = "recipeJson"
    }
}

extension Store {
    /// Number of candidates of a search in each status.
    package func statusCounts(searchID: Int64) throws(StoreError) -> [CandidateStatus: Int] {
        try read { db in
            var counts: [CandidateStatus: Int] = [:]
            for row in try Row.fetchAll(db, sql: "SELECT status, count(*) AS n FROM candidates WHERE search_id = ? GROUP BY status",
                                        arguments: [searchID]) {
                if let status = CandidateStatus(rawValue: row["status"]) { counts[status] = row["n"] }
            }
            return counts
        }
    }

    /// Members, buckets used, evictions and expansions of every layer's store.
    package func layerFill(searchID: Int64) throws(StoreError) -> [LayerFill] {
        try read { db in
            try Row.fetchAll(db, sql: """
                SELECT l.layer, l.name, l.buckets,
                       (SELECT count(*) FROM memberships m WHERE m.search_id = l.search_id AND m.layer = l.layer AND m.state = 'kept') AS kept,
                       (SELECT count(DISTINCT bucket) FROM memberships m WHERE m.search_id = l.search_id AND m.layer = l.layer AND m.state = 'kept') AS used,
                       (SELECT count(*) FROM memberships m WHERE m.search_id = l.search_id AND m.layer = l.layer AND m.state = 'evicted') AS evicted,
                       (SELECT count(*) FROM memberships m WHERE m.search_id = l.search_id AND m.layer = l.layer AND m.expanded = 1) AS expanded
                FROM layers l WHERE l.search_id = ? ORDER BY l.layer
                """, arguments: [searchID]).map { row in
                LayerFill(layer: row["layer"], name: row["name"], kept: row["kept"], bucketsUsed: row["used"],
                          buckets: row["buckets"], evicted: row["evicted"], expanded: row["expanded"])
            }
        }
    }

    /// The answer of a search: its first evaluated candidate inside the target window in `Ranking`.
    package func bestCandidate(searchID: Int64) throws(StoreError) -> CandidateDetail? {
        try read { db in
            try CandidateDetail
                .filter(CandidateDetail.Columns.searchID == searchID)
                .filter(CandidateDetail.Columns.status == CandidateStatus.evaluated.rawValue)
                .filter(CandidateDetail.Columns.inWindow == true)
                .order(sql: Ranking.sqlOrder)
                .fetchOne(db)
        }
    }

    /// Every candidate of a search in generation order (for tests and exports).
    package func candidates(searchID: Int64) throws(StoreError) -> [CandidateDetail] {
        try read { db in
            try CandidateDetail.filter(CandidateDetail.Columns.searchID == searchID).order(CandidateDetail.Columns.seq).fetchAll(db)
        }
    }

    /// Kept members of every layer store as `(layer, bucket, arch)`, sorted.
    package func storeContents(searchID: Int64) throws(StoreError) -> [(layer: Int, bucket: Int, arch: String)] {
        try read { db in
            try Row.fetchAll(db, sql: """
                SELECT m.layer, m.bucket, c.arch FROM memberships m JOIN candidates c ON c.id = m.candidate_id
                WHERE m.search_id = ? AND m.state = 'kept' ORDER BY m.layer, m.bucket, c.arch
                """, arguments: [searchID]).map { (layer: $0["layer"], bucket: $0["bucket"], arch: $0["arch"]) }
        }
    }
}
