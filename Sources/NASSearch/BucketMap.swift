import NASSpace

/// The cost buckets of every search layer: phi_i(c) = min(H−1, ⌊H·(c − lo_i)/(hi_i − lo_i)⌋).
///
/// Layer i's span [lo_i, hi_i] covers the costs that are reachable at layer i (layers after i
/// at their defaults) and feasible: with defaults the most expensive options, later layers can
/// only lower the cost, so nothing below the window's minimum is feasible and lo_i is raised to
/// it. The last layer's span is the target window itself (docs/ARCHITECTURE.md#bucket-spans:
/// the feasible-only deviation, which wastes no bucket on costs that are always dropped).
package struct BucketMap: Sendable, Equatable {
    /// Cost range covered by one bucket.
    package struct Span: Sendable, Equatable {
        /// Lowest cost in the range.
        package var min: Double
        /// Highest cost in the range.
        package var max: Double
    }

    /// Span of each layer, 0-based.
    package let spans: [Span]
    /// H.
    package let count: Int

    /// Splits the space's target cost window into `buckets` equal spans.
    package init(space: SearchSpace, buckets: Int) {
        precondition(buckets >= 1)
        count = buckets
        let last = space.layers.count - 1
        spans = space.layers.indices.map { layer in
            if layer == last { return Span(min: space.target.min, max: space.target.max) }
            let reachable = space.prefixRange(throughLayer: layer)
            let low = Swift.min(Swift.max(reachable.lowerBound, space.target.min), reachable.upperBound)
            return Span(min: low, max: reachable.upperBound)
        }
    }

    /// The bucket of `cost` at layer `layer` (0-based); costs outside the span clamp to the ends.
    package func bucket(of cost: Double, layer: Int) -> Int {
        let span = spans[layer]
        guard span.max > span.min else { return 0 }
        let position = Double(count) * (cost - span.min) / (span.max - span.min)
        return Swift.max(0, Swift.min(count - 1, Int(position.rounded(.down))))
    }
}
