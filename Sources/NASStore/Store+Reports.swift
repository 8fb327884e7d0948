import GRDB
import NASSpace

/// Fill of one layer's store, for `status` (its JSON is part of `status --format json`).
package struct LayerFill: Sendable, Equatable, Encodable {
    /// Layer index in the search space.
    package var layer: Int
    /// Layer's name in the search space.
    package var name: String
    /// Candidates currently kept for the layer.
    package var members: Int
    /// Buckets holding at least one kept candidate.
    package var bucketsUsed: Int
    /// Total number of cost buckets.
    package var buckets: Int
    /// Candidates evicted from the layer's buckets.
    package var evicted: Int
    /// Kept candidates already used as parents.
    package var expanded: Int
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
                LayerFill(layer: row["layer"], name: row["name"], members: row["kept"], bucketsUsed: row["used"],
                          buckets: row["buckets"], evicted: row["evicted"], expanded: row["expanded"])
            }
        }
    }

    /// The answer of a search: its first evaluated candidate inside the target window in `Ranking`.
    package func bestCandidate(searchID: Int64) throws(StoreError) -> CandidateRecord? {
        try read { db in
            try CandidateRecord
                .filter(CandidateRecord.Columns.searchID == searchID)
                .filter(CandidateRecord.Columns.status == CandidateStatus.evaluated.rawValue)
                .filter(CandidateRecord.Columns.inWindow == true)
                .order(sql: Ranking.sqlOrder)
                .fetchOne(db)
        }
    }

    /// Every candidate of a search in generation order (for tests and exports).
    package func candidates(searchID: Int64) throws(StoreError) -> [CandidateRecord] {
        try read { db in
            try CandidateRecord.filter(CandidateRecord.Columns.searchID == searchID).order(CandidateRecord.Columns.seq).fetchAll(db)
        }
    }

    /// The option rows written when the search was created, `fields_json` as stored: a second
    /// copy of the space's options, to check `space_json` against on resume.
    package func storedOptions(searchID: Int64) throws(StoreError) -> [(layer: Int, index: Int, label: String, fieldsJSON: String)] {
        try read { db in
            try Row.fetchAll(db, sql: "SELECT layer, option_index, label, fields_json FROM options WHERE search_id = ? ORDER BY layer, option_index",
                             arguments: [searchID]).map { row in
                (layer: row["layer"], index: row["option_index"], label: row["label"], fieldsJSON: row["fields_json"])
            }
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
