/// How many architectures of a space lie inside its target window.
package struct WindowCensus: Sendable, Hashable, Codable {
    /// Exact count, or an estimate when `isExact` is false.
    package var count: Int
    /// True when every architecture was enumerated.
    package var isExact: Bool
    /// Architectures sampled for an estimate (0 when exact).
    package var sampled: Int
}

extension SearchSpace {
    /// Largest space counted exactly by enumeration.
    package static let exactCensusLimit = 10_000_000

    /// Counts architectures inside the target window: exactly by enumeration when the space holds
    /// at most `exactLimit`, otherwise estimated from `samples` uniform draws of a generator seeded
    /// with `seed`.
    ///
    /// - Complexity: O(∏|S_i|) when exact (prefix costs are shared), O(samples · L) otherwise.
    package func windowCensus(
        exactLimit: Int = SearchSpace.exactCensusLimit,
        samples: Int = 200_000,
        seed: UInt64 = 1
    ) -> WindowCensus {
        let chain = CostChain(space: self, metric: target.metric)
        if architectureCount <= exactLimit {
            return WindowCensus(count: countExactly(chain: chain), isExact: true, sampled: 0)
        }
        var generator = SplitMix64(seed: seed)
        var inside = 0
        for _ in 0..<samples {
            var (state, total) = chain.initial
            for layer in layers.indices {
                let option = Int(generator.next() % UInt64(layers[layer].options.count))
                let step = chain.step(state, layer: layer, option: option)
                state = step.next
                total += step.cost
            }
            if target.contains(total + chain.finish(state)) { inside += 1 }
        }
        let estimate = Double(inside) / Double(samples) * Double(architectureCount)
        return WindowCensus(count: Int(estimate.rounded()), isExact: false, sampled: samples)
    }

    private func countExactly(chain: CostChain) -> Int {
        var count = 0
        func visit(layer: Int, state: ChainState, total: Double) {
            if layer == layers.count {
                if target.contains(total + chain.finish(state)) { count += 1 }
                return
            }
            for option in layers[layer].options.indices {
                let step = chain.step(state, layer: layer, option: option)
                visit(layer: layer + 1, state: step.next, total: total + step.cost)
            }
        }
        let initial = chain.initial
        visit(layer: 0, state: initial.state, total: initial.cost)
        return count
    }
}
