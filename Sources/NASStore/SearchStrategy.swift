/// How candidates are chosen. All strategies share the evaluators and the store, so their results
/// can be compared in SQL. The names are the rows of the `strategies` table (migration 0004).
package enum SearchStrategy: String, Sendable, Codable, CaseIterable {
    /// LayerNAS as an anytime searcher (the default): still layerwise and cost-bucketed, with
    /// bucket resolution matched to the budget and a refinement of the best members
    /// (docs/ARCHITECTURE.md#strategies).
    case layernas
    /// LayerNAS as in the paper (Fan et al., arXiv 2304.11517): layer by layer, cost buckets,
    /// top-k per bucket. Searches stored before migration 0004 as `layernas` are this one.
    case layernasPaper = "layernas-paper"
    /// Uniform sampling over in-window architectures, without repeats.
    case random
    /// Regularized evolution (Real et al. 2019): tournament, one-layer mutation, oldest ages out.
    case evolution
    /// Every in-window architecture, in key order.
    case exhaustive

    /// Whether the strategy keeps per-layer stores (cost buckets with their best members).
    /// The anytime `layernas` recomputes its buckets from the results at each step instead.
    package var hasLayerStores: Bool { self == .layernasPaper }
}
