/// The settings that define a search. Stored with it; a resume must use the same ones.
///
/// Budgets (`--budget`, `--time-limit`) are not settings: they may be raised to extend a search.
public struct SearchSettings: Sendable, Codable, Equatable {
    public var strategy: SearchStrategy
    /// Evaluator description, e.g. `synthetic`, `table:bench.csv`, `trainer`.
    public var evaluator: String
    public var seed: UInt64
    /// H: buckets per layer.
    public var buckets: Int
    /// k: candidates kept per bucket.
    public var perBucket: Int
    /// P: parents drawn per layer step.
    public var parents: Int
    /// Q: feasible children generated per parent per step.
    public var children: Int
    /// Finish layer i before expanding layer i+1 (keeps the O(k·H·Σ|S_i|) bound).
    public var layerwiseStrict: Bool
    /// Regularized evolution: population size.
    public var population: Int
    /// Regularized evolution: tournament sample size.
    public var sampleSize: Int

    public static let defaultBuckets = 100
    public static let defaultPerBucket = 3
    public static let defaultParents = 2
    public static let defaultChildren = 2
    public static let defaultPopulation = 20
    public static let defaultSampleSize = 5

    public init(
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
    public var fields: [(name: String, value: String)] {
        [
            ("strategy", strategy.rawValue), ("evaluator", evaluator), ("seed", String(seed)),
            ("buckets", String(buckets)), ("per-bucket", String(perBucket)), ("parents", String(parents)),
            ("children", String(children)), ("layerwise-strict", String(layerwiseStrict)),
            ("population", String(population)), ("sample-size", String(sampleSize)),
        ]
    }
}
