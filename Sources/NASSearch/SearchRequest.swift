import NASSpace
import NASStore

/// What the user asked for: a space (when creating), optional settings, and budgets.
///
/// Unset settings take the stored values on resume and the defaults on creation; set ones must
/// equal the stored values on resume.
package struct SearchRequest: Sendable {
    /// Name for the search.
    package var name: String?
    /// Search space to explore.
    package var space: SearchSpace?
    /// Search strategy to use.
    package var strategy: SearchStrategy?
    /// Evaluator specification, e.g. `synthetic` or `command:...`.
    package var evaluator: String?
    /// Seed for the search's random choices.
    package var seed: UInt64?
    /// Number of cost buckets per layer.
    package var buckets: Int?
    /// Candidates kept per bucket.
    package var perBucket: Int?
    /// Parents chosen per step.
    package var parents: Int?
    /// Children generated per parent.
    package var children: Int?
    /// Finish layer i before expanding layer i+1 (`--layerwise-strict`).
    package var layerwiseStrict: Bool?
    /// Population size for evolutionary search.
    package var population: Int?
    /// Tournament sample size for evolutionary search.
    package var sampleSize: Int?
    /// Maximum number of evaluations.
    package var budget: Int?
    /// Wall-clock limit in seconds.
    package var timeLimitSeconds: Double?
    /// Allow exhaustive enumeration of spaces above `BaselinePlanner.enumerationLimit`.
    package var force: Bool

    /// Creates a request; nil fields fall back to stored or default values.
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
