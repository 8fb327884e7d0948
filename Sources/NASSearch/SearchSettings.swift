import NASStore

/// The settings that define a search. Stored with it; a resume must use the same ones.
///
/// Budgets (`--budget`, `--time-limit`) are not settings: they may be raised to extend a search.
package struct SearchSettings: Sendable, Codable, Equatable {
    /// Search strategy to use.
    package var strategy: SearchStrategy
    /// Evaluator description, e.g. `synthetic`, `table:bench.csv`, `trainer`.
    package var evaluator: String
    /// Seed for the search's random choices.
    package var seed: UInt64
    /// H: buckets per layer.
    package var buckets: Int
    /// k: candidates kept per bucket.
    package var perBucket: Int
    /// P: parents drawn per layer step.
    package var parents: Int
    /// Q: feasible children generated per parent per step.
    package var children: Int
    /// Finish layer i before expanding layer i+1 (keeps the O(k·H·Σ|S_i|) bound).
    package var layerwiseStrict: Bool
    /// Regularized evolution: population size.
    package var population: Int
    /// Regularized evolution: tournament sample size.
    package var sampleSize: Int

    /// Default number of cost buckets per layer.
    package static let defaultBuckets = 100
    /// Default number of candidates kept per bucket.
    package static let defaultPerBucket = 3
    /// Default number of parents per step.
    package static let defaultParents = 2
    /// Default number of children per parent.
    package static let defaultChildren = 2
    /// Default population size for evolutionary search.
    package static let defaultPopulation = 20
    /// Default tournament sample size for evolutionary search.
    package static let defaultSampleSize = 5

    /// Creates settings; unset values take the defaults above.
    package init(
        strategy: SearchStrategy = .layernas,
        evaluator: String,
        seed: UInt64 = 1,
        buckets: Int = defaultBuckets,
        perBucket: Int = defaultPerBucket,
        parents: Int = defaultParents,
        children: Int = defaultChildren,
        layerwiseStrict: Bool = false,
        population: Int = defaultPopulation,
        sampleSize: Int = defaultSampleSize
    ) {
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
    }

    /// Names and values of the settings, for messages that say what differs.
    package var fields: [(name: String, value: String)] {
        [
            ("strategy", strategy.rawValue), ("evaluator", evaluator), ("seed", String(seed)),
            ("buckets", String(buckets)), ("per-bucket", String(perBucket)), ("parents", String(parents)),
            ("children", String(children)), ("layerwise-strict", String(layerwiseStrict)),
            ("population", String(population)), ("sample-size", String(sampleSize)),
        ]
    }
}
