import NASSpace

/// A search to create: what `Store.createSearch` writes.
package struct NewSearch: Sendable {
    package var name: String
    package var strategy: String
    package var space: SearchSpace
    package var settingsJSON: String
    package var evaluator: String
    package var seed: UInt64
    package var budget: Int?
    package var timeLimitSeconds: Double?
    /// Bucket span and bucket count of each layer, in layer order.
    package var layerBuckets: [(min: Double, max: Double, count: Int)]

    package init(
        name: String, strategy: String, space: SearchSpace, settingsJSON: String, evaluator: String,
        seed: UInt64, budget: Int?, timeLimitSeconds: Double?, layerBuckets: [(min: Double, max: Double, count: Int)]
    ) {
        self.name = name
        self.strategy = strategy
        self.space = space
        self.settingsJSON = settingsJSON
        self.evaluator = evaluator
        self.seed = seed
        self.budget = budget
        self.timeLimitSeconds = timeLimitSeconds
        self.layerBuckets = layerBuckets
    }
}

/// A candidate a step generates.
package struct NewCandidate: Sendable, Equatable {
    package var arch: String
    package var optionLabels: [String]
    package var costs: Costs
    /// The target metric's value.
    package var cost: Double
    package var inWindow: Bool
    /// `.pending` (to evaluate) or `.dropped` (infeasible).
    package var status: CandidateStatus
    package var parentID: Int64?
    package var layer: Int?
    package var seq: Int

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
    package var step: Int
    package var round: Int
    package var layer: Int?
    package var parents: [Int64]
    package var candidates: [NewCandidate]
    /// Members `(layer, candidate)` whose next-layer options are now all tried.
    package var expanded: [(layer: Int, candidateID: Int64)]
    /// Human-readable summary for the event log.
    package var message: String

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

/// One epoch of a training curve.
package struct EpochRow: Sendable, Equatable, Codable {
    package var epoch: Int
    package var trainLoss: Double?
    package var trainAccuracy: Double?
    package var validationAccuracy: Double?
    package var seconds: Double?

    package init(epoch: Int, trainLoss: Double?, trainAccuracy: Double?, validationAccuracy: Double?, seconds: Double?) {
        self.epoch = epoch
        self.trainLoss = trainLoss
        self.trainAccuracy = trainAccuracy
        self.validationAccuracy = validationAccuracy
        self.seconds = seconds
    }
}

/// A finished evaluation, as stored.
package struct EvaluationRecord: Sendable {
    package var score: Double
    package var metricsJSON: String?
    package var recipeJSON: String?
    package var seed: UInt64?
    package var epochCount: Int?
    package var curve: [EpochRow]
    package var seconds: Double

    package init(
        score: Double, metricsJSON: String?, recipeJSON: String?, seed: UInt64?, epochCount: Int?,
        curve: [EpochRow], seconds: Double
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
