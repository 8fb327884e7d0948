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
    /// Row id of the search in the `searches` table.
    package var id: Int64
    /// Unique name the search was created under.
    package var name: String
    /// Search strategy's raw name, e.g. `layernas`.
    package var strategy: String
    /// Search space definition, stored as JSON.
    package var spaceJSON: String
    /// Search settings (strategy parameters), stored as JSON.
    package var settingsJSON: String
    /// Description of the evaluator that scores candidates.
    package var evaluator: String
    /// Seed for the search's random choices.
    package var seed: UInt64
    /// Raw name of the cost metric the target window is on.
    package var targetMetric: String
    /// Lower bound of the target cost window.
    package var targetMin: Double
    /// Upper bound of the target cost window.
    package var targetMax: Double
    /// Maximum number of evaluations, if limited.
    package var budget: Int?
    /// Wall-clock limit for the search in seconds, if any.
    package var timeLimitSeconds: Double?
    /// Running time accumulated across all runs of the search.
    package var elapsedSeconds: Double
    /// Lifecycle state: created, running, stopped, finished or failed.
    package var status: SearchStatus
    /// Why the search last stopped, if it has.
    package var stopReason: String?
    /// Number of search rounds completed so far.
    package var rounds: Int
    /// Process running the search ("host:pid"), if any.
    package var owner: String?
    /// Owner's last heartbeat in unix seconds, for detecting stale runs.
    package var ownerHeartbeatAt: Double?
    /// When the search was created.
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
    /// Table the candidate rows live in.
    package static let databaseTableName = "candidates"
    /// Maps snake_case columns onto the camelCase properties.
    package static let databaseColumnDecodingStrategy = DatabaseColumnDecodingStrategy.convertFromSnakeCase

    /// The columns the search loop reads, for typed requests.
    package enum Columns {
        /// Column holding the owning search's id.
        package static let searchID = Column("search_id")
        /// Column holding the candidate's creation order in its search.
        package static let seq = Column("seq")
        /// Column holding the candidate's evaluation status.
        package static let status = Column("status")
    }

    /// Row id of the candidate.
    package var id: Int64
    /// Architecture key, the chosen option of each layer.
    package var arch: String
    /// Candidate's cost in the search's target metric.
    package var cost: Double
    /// Whether the cost falls inside the target window.
    package var inWindow: Bool
    /// Where the candidate is in its evaluation lifecycle.
    package var status: CandidateStatus
    /// Evaluator's score, once evaluated.
    package var score: Double?
    /// Candidate this one was mutated from, if any.
    package var parentID: Int64?
    /// Search layer at which the candidate was generated (nil for baseline strategies).
    package var layer: Int?
    /// Search step that proposed the candidate.
    package var step: Int?
    /// Generation order within the search; evaluations run in this order.
    package var seq: Int
    /// Number of evaluation attempts made so far.
    package var attempts: Int
    /// Last evaluation error, if the candidate failed.
    package var error: String?
    /// Its store consequences have been applied (see migration 0003).
    package var offered: Bool

    private enum CodingKeys: String, CodingKey {
        case id, arch, cost, inWindow, status, score, parentID = "parentId", layer, step, seq, attempts, error, offered
    }
}

/// A row of `memberships`.
package struct MembershipRecord: Sendable, Equatable, Decodable, FetchableRecord, TableRecord {
    /// Table the membership rows live in.
    package static let databaseTableName = "memberships"
    /// Maps snake_case columns onto the camelCase properties.
    package static let databaseColumnDecodingStrategy = DatabaseColumnDecodingStrategy.convertFromSnakeCase

    /// The columns the search loop reads, for typed requests.
    package enum Columns {
        /// Column holding the owning search's id.
        package static let searchID = Column("search_id")
        /// Column holding the order in which memberships were offered.
        package static let offer = Column("offer")
    }

    /// Layer whose cost buckets the candidate belongs to.
    package var layer: Int
    /// Candidate this membership is for.
    package var candidateID: Int64
    /// Cost bucket within the layer.
    package var bucket: Int
    /// Whether the candidate is kept, evicted or rejected.
    package var state: MembershipState
    /// Position of this offer among all offers to the search's stores (ties keep the earlier incumbent).
    package var offer: Int
    /// Candidate that displaced this one, if evicted.
    package var evictedBy: Int64?
    /// Whether every option of the next layer has been tried on this member.
    package var expanded: Bool

    private enum CodingKeys: String, CodingKey {
        case layer, candidateID = "candidateId", bucket, state, offer, evictedBy, expanded
    }
}

/// A row of `steps`.
package struct StepRecord: Sendable, Equatable {
    /// Position of the step in the search's sequence.
    package var step: Int
    /// Search round the step belongs to.
    package var round: Int
    /// Search layer the step works on (nil for baseline strategies).
    package var layer: Int?
    /// Candidates chosen as parents for the step.
    package var parents: [Int64]
    /// Whether the step has finished.
    package var isDone: Bool

    /// Creates a step record from its stored fields.
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
    /// The search's own row.
    package var search: SearchRecord
    /// In generation order (`seq`).
    package var candidates: [CandidateRecord]
    /// In offer order.
    package var memberships: [MembershipRecord]
    /// In step order.
    package var steps: [StepRecord]
}
