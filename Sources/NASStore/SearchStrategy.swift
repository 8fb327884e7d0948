/// How candidates are chosen. All strategies share the evaluators and the store, so their results
/// can be compared in SQL.
package enum SearchStrategy: String, Sendable, Codable, CaseIterable {
    /// LayerNAS (Fan et al., arXiv 2304.11517): layer by layer, cost buckets, top-k per bucket.
    case layernas
    /// Uniform sampling over in-window architectures, without repeats.
    case random
    /// Regularized evolution (Real et al. 2019): tournament, one-layer mutation, oldest ages out.
    case evolution
    /// Every in-window architecture, in key order.
    case exhaustive

    /// Whether the strategy keeps per-layer stores (cost buckets with their best members).
    package var hasLayerStores: Bool { self == .layernas }
}
