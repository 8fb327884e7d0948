import GRDB
import NASSpace

/// Status of a candidate (the `candidates.status` column).
public enum CandidateStatus: String, Sendable, Codable, CaseIterable {
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
public enum MembershipState: String, Sendable, Codable {
    case kept
    case evicted
    case rejected
}

/// A row of `searches`.
public struct SearchRecord: Sendable, Equatable {
    public var id: Int64
    public var name: String
    public var strategy: String
    public var spaceJSON: String
    public var settingsJSON: String
    public var evaluator: String
    public var seed: UInt64
    public var targetMetric: String
    public var targetMin: Double
    public var targetMax: Double
    public var budget: Int?
    public var timeLimitSeconds: Double?
    public var elapsedSeconds: Double
    public var status: SearchStatus
    public var stopReason: String?
    public var rounds: Int
    public var owner: String?
    public var ownerHeartbeatAt: Double?
    public var createdAt: String

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
public struct CandidateRecord: Sendable, Equatable, Decodable, FetchableRecord, TableRecord {
    public static let databaseTableName = "candidates"
    public static let databaseColumnDecodingStrategy = DatabaseColumnDecodingStrategy.convertFromSnakeCase

    /// The columns the search loop reads, for typed requests.
    public enum Columns {
        public static let searchID = Column("search_id")
        public static let seq = Column("seq")
        public static let status = Column("status")
    }

    public var id: Int64
    public var arch: String
    public var cost: Double
    public var inWindow: Bool
    public var status: CandidateStatus
    public var score: Double?
    public var parentID: Int64?
    public var layer: Int?
    public var step: Int?
    public var seq: Int
    public var attempts: Int
    public var error: String?
    /// Its store consequences have been applied (see migration 0003).
    public var offered: Bool

    private enum CodingKeys: String, CodingKey {
        case id, arch, cost, inWindow, status, score, parentID = "parentId", layer, step, seq, attempts, error, offered
    }
}

/// A row of `memberships`.
public struct MembershipRecord: Sendable, Equatable, Decodable, FetchableRecord, TableRecord {
    public static let databaseTableName = "memberships"
    public static let databaseColumnDecodingStrategy = DatabaseColumnDecodingStrategy.convertFromSnakeCase

    /// The columns the search loop reads, for typed requests.
    public enum Columns {
        public static let searchID = Column("search_id")
        public static let offer = Column("offer")
    }

    public var layer: Int
    public var candidateID: Int64
    public var bucket: Int
    public var state: MembershipState
    public var offer: Int
    public var evictedBy: Int64?
    public var expanded: Bool

    private enum CodingKeys: String, CodingKey {
        case layer, candidateID = "candidateId", bucket, state, offer, evictedBy, expanded
    }
}

/// A row of `steps`.
public struct StepRecord: Sendable, Equatable {
    public var step: Int
    public var round: Int
    public var layer: Int?
    public var parents: [Int64]
    public var isDone: Bool

    public init(step: Int, round: Int, layer: Int?, parents: [Int64], isDone: Bool) {
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
public struct StoredSearchState: Sendable {
    public var search: SearchRecord
    /// In generation order (`seq`).
    public var candidates: [CandidateRecord]
    /// In offer order.
    public var memberships: [MembershipRecord]
    /// In step order.
    public var steps: [StepRecord]
}
