import GRDB
import NASSpace

/// Status of a candidate (the `candidates.status` column).
package enum CandidateStatus: String, Sendable, Codable, CaseIterable {
    /// Generated, waiting for its evaluation.
    case pending
    /// Being evaluated by the process holding its lease.
    case running
    /// Has a score. Final.
    case evaluated
    /// Its evaluation failed; `error` says why.
    case failed
    /// Infeasible: cannot reach the target window. Recorded, never evaluated. Final.
    case dropped
}

/// State of a candidate in a per-layer store (the `memberships.state` column).
package enum MembershipState: String, Sendable, Codable {
    case kept
    case evicted
    case rejected
}

/// A row of `searches`.
package struct SearchRecord: Sendable, Equatable {
    package var id: Int64
    package var name: String
    package var strategy: String
    package var spaceJSON: String
    package var settingsJSON: String
    package var evaluator: String
    package var seed: UInt64
    package var targetMetric: String
    package var targetMin: Double
    package var targetMax: Double
    package var budget: Int?
    package var timeLimitSeconds: Double?
    package var elapsedSeconds: Double
    package var status: SearchStatus
    package var stopReason: String?
    package var rounds: Int
    package var owner: String?
    package var ownerHeartbeatAt: Double?
    package var createdAt: String

    init(row: Row) {
        id = row["id"]
        name = row["name"]
        strategy = row["strategy"]
        spaceJSON = row["space_json"]
        settingsJSON = row["settings_json"]
        evaluator = row["evaluator"]
        seed = UInt64(bitPattern: row["seed"] as Int64)
        targetMetric = row["target_metric"]
        targetMin = row["target_min"]
        targetMax = row["target_max"]
        budget = row["budget"]
        timeLimitSeconds = row["time_limit_seconds"]
        elapsedSeconds = row["elapsed_seconds"]
        // The schema admits only these values; a newer layernas would have a newer migration.
        status = SearchStatus(rawValue: row["status"]) ?? .failed
        stopReason = row["stop_reason"]
        rounds = row["rounds"]
        owner = row["owner"]
        ownerHeartbeatAt = row["owner_heartbeat_at"]
        createdAt = row["created_at"]
    }
}

/// A row of `candidates`, as the search loop needs it.
package struct CandidateRecord: Sendable, Equatable, Decodable, FetchableRecord, TableRecord {
    package static let databaseTableName = "candidates"
    package static let databaseColumnDecodingStrategy = DatabaseColumnDecodingStrategy.convertFromSnakeCase

    /// The columns the search loop reads, for typed requests.
    package enum Columns {
        package static let searchID = Column("search_id")
        package static let seq = Column("seq")
        package static let status = Column("status")
    }

    package var id: Int64
    package var arch: String
    package var cost: Double
    package var inWindow: Bool
    package var status: CandidateStatus
    package var score: Double?
    package var parentID: Int64?
    package var layer: Int?
    package var step: Int?
    package var seq: Int
    package var attempts: Int
    package var error: String?
    /// Its store consequences have been applied (see migration 0003).
    package var offered: Bool

    private enum CodingKeys: String, CodingKey {
        case id, arch, cost, inWindow, status, score, parentID = "parentId", layer, step, seq, attempts, error, offered
    }
}

/// A row of `memberships`.
package struct MembershipRecord: Sendable, Equatable, Decodable, FetchableRecord, TableRecord {
    package static let databaseTableName = "memberships"
    package static let databaseColumnDecodingStrategy = DatabaseColumnDecodingStrategy.convertFromSnakeCase

    /// The columns the search loop reads, for typed requests.
    package enum Columns {
        package static let searchID = Column("search_id")
        package static let offer = Column("offer")
    }

    package var layer: Int
    package var candidateID: Int64
    package var bucket: Int
    package var state: MembershipState
    package var offer: Int
    package var evictedBy: Int64?
    package var expanded: Bool

    private enum CodingKeys: String, CodingKey {
        case layer, candidateID = "candidateId", bucket, state, offer, evictedBy, expanded
    }
}

/// A row of `steps`.
package struct StepRecord: Sendable, Equatable {
    package var step: Int
    package var round: Int
    package var layer: Int?
    package var parents: [Int64]
    package var isDone: Bool

    package init(step: Int, round: Int, layer: Int?, parents: [Int64], isDone: Bool) {
        self.step = step
        self.round = round
        self.layer = layer
        self.parents = parents
        self.isDone = isDone
    }

    init(row: Row) {
        step = row["step"]
        round = row["round"]
        layer = row["layer"]
        let json: String = row["parents_json"]
        parents = JSONText.decode([Int64].self, from: json) ?? []
        isDone = (row["status"] as String) == "done"
    }
}

/// Everything stored about one search that a resumed search loop needs.
package struct StoredSearchState: Sendable {
    package var search: SearchRecord
    /// In generation order (`seq`).
    package var candidates: [CandidateRecord]
    /// In offer order.
    package var memberships: [MembershipRecord]
    /// In step order.
    package var steps: [StepRecord]
}
