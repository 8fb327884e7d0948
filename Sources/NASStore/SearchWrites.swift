import NASSpace

/// A candidate a step generates.
package struct NewCandidate: Sendable, Equatable {
    /// Architecture key, the chosen option of each layer.
    package var arch: String
    /// Labels of the chosen option for each layer.
    package var optionLabels: [String]
    /// Candidate's computed costs.
    package var costs: Costs
    /// The target metric's value.
    package var cost: Double
    /// Whether the cost falls inside the target window.
    package var inWindow: Bool
    /// `.pending` (to evaluate) or `.dropped` (infeasible).
    package var status: CandidateStatus
    /// Candidate this one was mutated from, if any.
    package var parentID: Int64?
    /// Search layer at which the candidate was generated (nil for baseline strategies).
    package var layer: Int?
    /// Order in which the candidate was created within its search.
    package var seq: Int

    /// Describes a candidate to be inserted.
    package init(
        arch: String, optionLabels: [String], costs: Costs, cost: Double, inWindow: Bool,
        status: CandidateStatus, parentID: Int64?, layer: Int?, seq: Int
    ) {
        precondition(status == .pending || status == .dropped, "a new candidate is pending or dropped")
        self.arch = arch
        self.optionLabels = optionLabels
        self.costs = costs
        self.cost = cost
        self.inWindow = inWindow
        self.status = status
        self.parentID = parentID
        self.layer = layer
        self.seq = seq
    }
}

/// One step, committed in one transaction before any of its children is evaluated.
package struct StepPlan: Sendable {
    /// Position of the step in the search's sequence.
    package var step: Int
    /// Search round the step belongs to.
    package var round: Int
    /// Search layer the step works on (nil for baseline strategies).
    package var layer: Int?
    /// Candidates chosen as parents for the step.
    package var parents: [Int64]
    /// New candidates the step proposes.
    package var candidates: [NewCandidate]
    /// Members `(layer, candidate)` whose next-layer options are now all tried.
    package var expanded: [(layer: Int, candidateID: Int64)]
    /// Human-readable summary for the event log.
    package var message: String

    /// Plans a step and the candidates it proposes.
    package init(
        step: Int, round: Int, layer: Int?, parents: [Int64], candidates: [NewCandidate],
        expanded: [(layer: Int, candidateID: Int64)], message: String
    ) {
        self.step = step
        self.round = round
        self.layer = layer
        self.parents = parents
        self.candidates = candidates
        self.expanded = expanded
        self.message = message
    }
}

/// A change of a per-layer store caused by a result.
package enum MembershipChange: Sendable, Equatable {
    /// The candidate enters bucket `bucket` of layer `layer`.
    case admit(layer: Int, candidateID: Int64, bucket: Int, offer: Int)
    /// The candidate was offered to a full bucket and did not beat its k-th member.
    case reject(layer: Int, candidateID: Int64, bucket: Int, offer: Int)
    /// A kept member leaves its bucket, pushed out by `by`.
    case evict(layer: Int, candidateID: Int64, by: Int64)
}

/// A finished evaluation, as stored.
package struct EvaluationRecord: Sendable {
    /// Evaluator's score for the candidate.
    package var score: Double
    /// Extra metrics reported by the evaluator, as JSON.
    package var metricsJSON: String?
    /// Training recipe used, as JSON.
    package var recipeJSON: String?
    /// Training seed used, if any.
    package var seed: UInt64?
    /// Number of epochs trained, if any.
    package var epochCount: Int?
    /// Per-epoch training curve.
    package var curve: [EpochPoint]
    /// Time the evaluation took.
    package var seconds: Double

    /// Records the outcome of one candidate evaluation.
    package init(
        score: Double, metricsJSON: String?, recipeJSON: String?, seed: UInt64?, epochCount: Int?,
        curve: [EpochPoint], seconds: Double
    ) {
        precondition(score.isFinite, "scores are finite")
        self.score = score
        self.metricsJSON = metricsJSON
        self.recipeJSON = recipeJSON
        self.seed = seed
        self.epochCount = epochCount
        self.curve = curve
        self.seconds = seconds
    }
}
