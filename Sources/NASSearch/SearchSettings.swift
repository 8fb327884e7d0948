import NASStore

/// The settings that define a search. Stored with it; a resume must use the same ones.
///
/// Budgets (`--budget`, `--time-limit`) are not settings: they may be raised to extend a search.
package struct SearchSettings: Sendable, Codable, Equatable {
    /// Search strategy to use.
    package var strategy: SearchStrategy = .layernas
    /// Evaluator description, e.g. `synthetic`, `table:bench.csv`, `trainer`.
    package var evaluator: String
    /// Seed for the search's random choices.
    package var seed: UInt64 = 1
    /// H: buckets per layer.
    package var buckets: Int = defaultBuckets
    /// k: candidates kept per bucket.
    package var perBucket: Int = defaultPerBucket
    /// P: parents drawn per layer step.
    package var parents: Int = defaultParents
    /// Q: feasible children generated per parent per step.
    package var children: Int = defaultChildren
    /// Finish layer i before expanding layer i+1 (keeps the O(k·H·Σ|S_i|) bound).
    package var layerwiseStrict: Bool = false
    /// Regularized evolution: population size.
    package var population: Int = defaultPopulation
    /// Regularized evolution: tournament sample size.
    package var sampleSize: Int = defaultSampleSize

    /// Default number of cost buckets per layer (layernas-paper).
    package static let defaultBuckets = 100
    /// Default finest number of cost buckets of the anytime `layernas`.
    package static let defaultAnytimeBuckets = 32
    /// Default number of members kept per bucket by the anytime `layernas`.
    package static let defaultAnytimePerBucket = 2
    /// Default number of children (each from its own parent) per step of the anytime `layernas`.
    package static let defaultAnytimeParents = 2
    /// Default number of candidates kept per bucket (layernas-paper).
    package static let defaultPerBucket = 3
    /// Default number of parents per step.
    package static let defaultParents = 2
    /// Default number of children per parent.
    package static let defaultChildren = 2
    /// Default population size for evolutionary search.
    package static let defaultPopulation = 20
    /// Default tournament sample size for evolutionary search.
    package static let defaultSampleSize = 5

    /// The default settings of `strategy` for a search scored by `evaluator`. The anytime
    /// `layernas` grows its buckets up to H = 32 with k = 2; the paper's algorithm uses a fixed
    /// H = 100, k = 3.
    package init(evaluator: String, strategy: SearchStrategy = .layernas) {
        self.evaluator = evaluator
        self.strategy = strategy
        if strategy == .layernas {
            buckets = Self.defaultAnytimeBuckets
            perBucket = Self.defaultAnytimePerBucket
            parents = Self.defaultAnytimeParents
        }
    }

    /// The most evaluations one step offers at once, so the most that `--jobs` can keep running:
    /// P children for `layernas`, P parents × Q children for `layernas-paper`, one candidate for
    /// the baseline strategies.
    package var evaluationsPerStep: Int {
        switch strategy {
        case .layernas: return parents
        case .layernasPaper: return parents * children
        case .random, .evolution, .exhaustive: return 1
        }
    }

    /// The range every numeric setting must lie in, by option name: what `search` accepts, and
    /// what a stored search must hold (a hand-edited database is refused, not trusted).
    package static let allowedRanges: [String: ClosedRange<Int>] = [
        "buckets": 1...1_000_000, "per-bucket": 1...10_000, "parents": 1...10_000, "children": 1...10_000,
        "population": 2...100_000, "sample-size": 1...100_000,
    ]

    /// The first numeric setting outside its allowed range, as "buckets 0"; nil when all are in range.
    package var outOfRange: String? {
        let values = [("buckets", buckets), ("per-bucket", perBucket), ("parents", parents), ("children", children),
                      ("population", population), ("sample-size", sampleSize)]
        for (name, value) in values where !(Self.allowedRanges[name] ?? Int.min...Int.max).contains(value) {
            return "\(name) \(value)"
        }
        return nil
    }

    /// The names (as in `fields`) of the settings `strategy` reads; the others are stored with
    /// their defaults but change nothing, so reports leave them out.
    package static func names(usedBy strategy: SearchStrategy) -> [String] {
        switch strategy {
        case .layernas: return ["buckets", "per-bucket", "parents"]
        case .layernasPaper: return ["buckets", "per-bucket", "parents", "children", "layerwise-strict"]
        case .evolution: return ["population", "sample-size"]
        case .random, .exhaustive: return []
        }
    }

    /// The `fields` of the settings this search's strategy reads, in the order of `names(usedBy:)`.
    package var usedFields: [(name: String, value: String)] {
        let all = Dictionary(uniqueKeysWithValues: fields.map { ($0.name, $0.value) })
        return Self.names(usedBy: strategy).compactMap { name in all[name].map { (name, $0) } }
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
