import NASSearch
import NASStore

/// What `search` prints on stdout when it ends: the answer so far and the database (text), or
/// the same with how the run ended and the counts (`--format json`). Progress and the
/// "created"/"resuming" line go to stderr either way.
struct SearchReport: CommandReport {
    var search: String
    var database: String
    /// True when this run created the search, false when it resumed a stored one.
    var created: Bool
    /// `finished`, `interrupted` (Ctrl-C) or `stopped` (the machine failed under it).
    var outcome: String
    var reason: String?
    var evaluated, failed, dropped, pending: Int
    var budget: Int?
    /// The best evaluated candidate inside the target window; null when there is none yet.
    var best: BestReport?

    init(search: String, database: String, created: Bool, outcome: SearchOutcome,
         counts: [CandidateStatus: Int], budget: Int?, best: BestReport?) {
        self.search = search
        self.database = database
        self.created = created
        switch outcome {
        case .finished(let reason): (self.outcome, self.reason) = ("finished", reason)
        case .interrupted: (self.outcome, reason) = ("interrupted", nil)
        case .stopped(let reason): (self.outcome, self.reason) = ("stopped", reason)
        }
        evaluated = counts[.evaluated] ?? 0
        failed = counts[.failed] ?? 0
        dropped = counts[.dropped] ?? 0
        pending = (counts[.pending] ?? 0) + (counts[.running] ?? 0)
        self.budget = budget
        self.best = best
    }

    /// Encodes `best` as null when there is none, so scripts always find the key.
    func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(search, forKey: .search)
        try container.encode(database, forKey: .database)
        try container.encode(created, forKey: .created)
        try container.encode(outcome, forKey: .outcome)
        try container.encode(reason, forKey: .reason)
        try container.encode(evaluated, forKey: .evaluated)
        try container.encode(failed, forKey: .failed)
        try container.encode(dropped, forKey: .dropped)
        try container.encode(pending, forKey: .pending)
        try container.encode(budget, forKey: .budget)
        try container.encode(best, forKey: .best)
    }

    enum CodingKeys: String, CodingKey {
        case search, database, created, outcome, reason, evaluated, failed, dropped, pending, budget, best
    }

    var text: String {
        let answer = best?.text ?? "no evaluated candidate inside the target window yet\n"
        return answer + "database: \(database)\n"
    }
}
