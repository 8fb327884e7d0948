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

/// A record read from one table (GRDB's Codable records), its snake_case columns decoded into
/// camelCase properties; JSON columns decode into their Swift types.
package protocol StoredRecord: Sendable, Equatable, Decodable, FetchableRecord, TableRecord {}

extension StoredRecord {
    /// Maps snake_case columns onto the camelCase properties.
    package static var databaseColumnDecodingStrategy: DatabaseColumnDecodingStrategy { .convertFromSnakeCase }
}

/// A row of `searches`.
package struct SearchRecord: StoredRecord {
    /// Table the search rows live in.
    package static let databaseTableName = "searches"

    /// The columns searches are looked up by, for typed requests.
    package enum Columns {
        /// Column holding the search's row id.
        package static let id = Column("id")
        /// Column holding the search's unique name.
        package static let name = Column("name")
    }

    /// Row id of the search in the `searches` table.
    package var id: Int64
    /// Unique name the search was created under.
    package var name: String
    /// How the search chooses candidates.
    package var strategy: SearchStrategy
    /// Search space definition, stored as JSON (decoded by NASSearch's `SearchDefinition`).
    package var spaceJSON: String
    /// The space's own name (a search may be named otherwise, e.g. after a rename).
    package var spaceName: String
    /// Search settings (strategy parameters), stored as JSON (decoded with the space).
    package var settingsJSON: String
    /// Description of the evaluator that scores candidates.
    package var evaluator: String
    /// The seed's bits as SQLite stores them (a signed 64-bit integer).
    private var storedSeed: Int64
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
    /// When the search last changed (a run started or ended, limits, a rename).
    package var updatedAt: String

    /// Seed for the search's random choices.
    package var seed: UInt64 { UInt64(bitPattern: storedSeed) }

    private enum CodingKeys: String, CodingKey {
        case id, name, strategy, spaceName, spaceJSON = "spaceJson", settingsJSON = "settingsJson", evaluator, storedSeed = "seed"
        case targetMetric, targetMin, targetMax, budget, timeLimitSeconds, elapsedSeconds, status, stopReason, rounds
        case owner, ownerHeartbeatAt, createdAt, updatedAt
    }
}

/// A row of `candidates`: what the search loop and the reports read.
package struct CandidateRecord: StoredRecord {
    /// Table the candidate rows live in.
    package static let databaseTableName = "candidates"

    /// The columns candidates are filtered and sorted on, for typed requests.
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
    /// Labels of the chosen option for each layer (the JSON array of `options_json`).
    package var optionLabels: [String]
    /// Candidate's cost in the search's target metric.
    package var cost: Double
    /// Multiply-adds, if computed.
    package var madds: Int?
    /// Parameter count, if computed.
    package var params: Int?
    /// Cost from a custom cost command, if any.
    package var customCost: Double?
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
    /// Extra metrics reported by the evaluator, as JSON.
    package var metricsJSON: String?
    /// Training recipe used, as JSON.
    package var recipeJSON: String?

    private enum CodingKeys: String, CodingKey {
        case id, arch, optionLabels = "optionsJson", cost, madds, params, customCost, inWindow, status, score
        case parentID = "parentId", layer, step, seq, attempts, error, offered
        case metricsJSON = "metricsJson", recipeJSON = "recipeJson"
    }
}

/// A row of `memberships`.
package struct MembershipRecord: StoredRecord {
    /// Table the membership rows live in.
    package static let databaseTableName = "memberships"

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

/// State of a step (the `steps.status` column).
package enum StepStatus: String, Sendable, Codable {
    /// Its candidates are committed; some may still wait for their evaluation.
    case planned
    /// Every candidate of the step has been evaluated and offered to the stores.
    case done
}

/// A row of `steps`.
package struct StepRecord: StoredRecord {
    /// Table the step rows live in.
    package static let databaseTableName = "steps"

    /// The columns the search loop reads, for typed requests.
    package enum Columns {
        /// Column holding the owning search's id.
        package static let searchID = Column("search_id")
        /// Column holding the step's position in the search.
        package static let step = Column("step")
    }

    /// Position of the step in the search's sequence.
    package var step: Int
    /// Search round the step belongs to.
    package var round: Int
    /// Search layer the step works on (nil for baseline strategies).
    package var layer: Int?
    /// Candidates chosen as parents for the step (the JSON array of `parents_json`).
    package var parents: [Int64]
    /// Whether the step is planned or done.
    package var status: StepStatus

    /// Whether the step has finished.
    package var isDone: Bool { status == .done }

    /// Creates a step record from its stored fields.
    package init(step: Int, round: Int, layer: Int?, parents: [Int64], isDone: Bool) {
        self.step = step
        self.round = round
        self.layer = layer
        self.parents = parents
        self.status = isDone ? .done : .planned
    }

    private enum CodingKeys: String, CodingKey {
        case step, round, layer, parents = "parentsJson", status
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
