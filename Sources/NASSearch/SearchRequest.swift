import NASSpace

/// What the user asked for: a space (when creating), optional settings, and budgets.
///
/// Unset settings take the stored values on resume and the defaults on creation; set ones must
/// equal the stored values on resume.
public struct SearchRequest: Sendable {
    public var name: String?
    public var space: SearchSpace?
    public var strategy: SearchStrategy?
    public var evaluator: String?
    public var seed: UInt64?
    public var buckets: Int?
    public var perBucket: Int?
    public var parents: Int?
    public var children: Int?
    public var layerwiseStrict: Bool?
    public var population: Int?
    public var sampleSize: Int?
    public var budget: Int?
    public var timeLimitSeconds: Double?
    /// Allow exhaustive enumeration of spaces above `BaselinePlanner.enumerationLimit`.
    public var force: Bool

    public init(
        name: String? = nil, space: SearchSpace? = nil, strategy: SearchStrategy? = nil, evaluator: String? = nil,
        seed: UInt64? = nil, buckets: Int? = nil, perBucket: Int? = nil, parents: Int? = nil, children: Int? = nil,
        layerwiseStrict: Bool? = nil, population: Int? = nil, sampleSize: Int? = nil, budget: Int? = nil,
        timeLimitSeconds: Double? = nil, force: Bool = false
    ) {
        self.name = name
        self.space = space
        self.strategy = strategy
        self.evaluator = evaluator
        self.seed = seed
        self.buckets = buckets
        self.perBucket = perBucket
        self.parents = parents
        self.children = children
        self.layerwiseStrict = layerwiseStrict
        self.population = population
        self.sampleSize = sampleSize
        self.budget = budget
        self.timeLimitSeconds = timeLimitSeconds
        self.force = force
    }
}

extension SearchSettings {
    /// These settings with every setting the request names replaced by the requested value.
    func overridden(by request: SearchRequest) -> SearchSettings {
        var settings = self
        settings.strategy = request.strategy ?? strategy
        settings.evaluator = request.evaluator ?? evaluator
        settings.seed = request.seed ?? seed
        settings.buckets = request.buckets ?? buckets
        settings.perBucket = request.perBucket ?? perBucket
        settings.parents = request.parents ?? parents
        settings.children = request.children ?? children
        settings.layerwiseStrict = request.layerwiseStrict ?? layerwiseStrict
        settings.population = request.population ?? population
        settings.sampleSize = request.sampleSize ?? sampleSize
        return settings
    }
}
