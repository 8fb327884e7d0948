import NASSpace

/// A search to create: what `Store.createSearch` writes.
public struct NewSearch: Sendable {
    public var name: String
    public var strategy: String
    public var space: SearchSpace
    public var settingsJSON: String
    public var evaluator: String
    public var seed: UInt64
    public var budget: Int?
    public var timeLimitSeconds: Double?
    /// Bucket span and bucket count of each layer, in layer order.
    public var layerBuckets: [(min: Double, max: Double, count: Int)]

    public init(
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
public struct NewCandidate: Sendable, Equatable {
    public var arch: String
    public var optionLabels: [String]
    public var costs: Costs
    /// The target metric's value.
    public var cost: Double
    public var inWindow: Bool
    /// `.pending` (to evaluate) or `.dropped` (infeasible).
    public var status: CandidateStatus
    public var parentID: Int64?
    public var layer: Int?
    public var seq: Int

    public init(
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
public struct StepPlan: Sendable {
    public var step: Int
    public var round: Int
    public var layer: Int?
    public var parents: [Int64]
    public var candidates: [NewCandidate]
    /// Members `(layer, candidate)` whose next-layer options are now all tried.
    public var expanded: [(layer: Int, candidateID: Int64)]
    /// Human-readable summary for the event log.
    public var message: String

    public init(
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
public enum MembershipChange: Sendable, Equatable {
    /// The candidate enters bucket `bucket` of layer `layer`.
    case admit(layer: Int, candidateID: Int64, bucket: Int, offer: Int)
    /// The candidate was offered to a full bucket and did not beat its k-th member.
    case reject(layer: Int, candidateID: Int64, bucket: Int, offer: Int)
    /// A kept member leaves its bucket, pushed out by `by`.
    case evict(layer: Int, candidateID: Int64, by: Int64)
}

/// One epoch of a training curve.
public struct EpochRow: Sendable, Equatable, Codable {
    public var epoch: Int
    public var trainLoss: Double?
    public var trainAccuracy: Double?
    public var validationAccuracy: Double?
    public var seconds: Double?

    public init(epoch: Int, trainLoss: Double?, trainAccuracy: Double?, validationAccuracy: Double?, seconds: Double?) {
        self.epoch = epoch
        self.trainLoss = trainLoss
        self.trainAccuracy = trainAccuracy
        self.validationAccuracy = validationAccuracy
        self.seconds = seconds
    }
}

/// A finished evaluation, as stored.
public struct EvaluationRecord: Sendable {
    public var score: Double
    public var metricsJSON: String?
    public var recipeJSON: String?
    public var seed: UInt64?
    public var epochCount: Int?
    public var curve: [EpochRow]
    public var seconds: Double

    public init(
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
