import NASSpace

/// What the user asked for: a space (when creating), optional settings, and budgets.
///
/// Unset settings take the stored values on resume and the defaults on creation; set ones must
/// equal the stored values on resume.
package struct SearchRequest: Sendable {
    package var name: String?
    package var space: SearchSpace?
    package var strategy: SearchStrategy?
    package var evaluator: String?
    package var seed: UInt64?
    package var buckets: Int?
    package var perBucket: Int?
    package var parents: Int?
    package var children: Int?
    package var layerwiseStrict: Bool?
    package var population: Int?
    package var sampleSize: Int?
    package var budget: Int?
    package var timeLimitSeconds: Double?
    /// Allow exhaustive enumeration of spaces above `BaselinePlanner.enumerationLimit`.
    package var force: Bool

    package init(
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
