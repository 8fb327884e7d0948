/// Exact minimum and maximum whole-model cost over sets of architectures, and the feasibility
/// test LayerNAS uses to drop children (docs/ARCHITECTURE.md#feasibility).
///
/// The bounds are computed by dynamic programming over the chain states of `CostChain` (at most
/// one state per distinct width or feature-map shape), not by adding per-layer tables, because
/// MAdds and parameters are not additive: a layer's width changes the next layer's cost.
///
/// - Complexity: O(L · |S| · W) where W is the number of distinct chain states (small: distinct
///   widths, times downsampling levels for a CNN).
extension SearchSpace {
    /// Minimum and maximum of `metric` over every architecture whose layer `i` takes one of
    /// `allowed[i]` (each non-empty).
    package func costRange(of metric: CostMetric, allowed: [[Int]]) -> ClosedRange<Double> {
        precondition(allowed.count == layers.count && allowed.allSatisfy { !$0.isEmpty })
        let chain = CostChain(space: self, metric: metric)
        let initial = chain.initial
        var frontier: [ChainState: ClosedRange<Double>] = [initial.state: initial.cost...initial.cost]
        for (layer, options) in allowed.enumerated() {
            var next: [ChainState: ClosedRange<Double>] = [:]
            for (state, range) in frontier {
                for option in options {
                    let step = chain.step(state, layer: layer, option: option)
                    let reached = (range.lowerBound + step.cost)...(range.upperBound + step.cost)
                    next[step.next] = next[step.next].map { $0.hull(reached) } ?? reached
                }
            }
            frontier = next
        }
        let finals = frontier.map { state, range -> ClosedRange<Double> in
            let head = chain.finish(state)
            return (range.lowerBound + head)...(range.upperBound + head)
        }
        return finals.dropFirst().reduce(finals[0]) { $0.hull($1) }
    }

    /// Cost range of the target metric over the whole space.
    package var reachableRange: ClosedRange<Double> {
        costRange(of: target.metric, allowed: layers.map { Array($0.options.indices) })
    }

    /// Cost range of the target metric over the completions of `architecture` when its layers
    /// `0..<decided` are fixed and the remaining layers are free.
    package func completionRange(of architecture: Architecture, decided: Int) -> ClosedRange<Double> {
        checkMembership(architecture)
        let allowed = layers.indices.map { layer in
            layer < decided ? [architecture.optionIndices[layer]] : Array(layers[layer].options.indices)
        }
        return costRange(of: target.metric, allowed: allowed)
    }

    /// Whether some choice of the layers after the first `decided` can bring `architecture` into
    /// the target window: the exact completion range meets the window.
    ///
    /// This never rejects an architecture that can reach the window; it may accept one whose
    /// completions jump over a narrow window (the range has gaps), which costs at most a training.
    package func isFeasible(_ architecture: Architecture, decided: Int) -> Bool {
        if decided >= layers.count { return target.contains(targetCost(of: architecture)) }
        return target.overlaps(completionRange(of: architecture, decided: decided))
    }

    /// Range of target costs reachable by models whose layers `0...layer` are free and whose later
    /// layers sit at their defaults: the span the bucket map of that layer covers.
    package func prefixRange(throughLayer layer: Int) -> ClosedRange<Double> {
        let allowed = layers.indices.map { index in
            index <= layer ? Array(layers[index].options.indices) : [layers[index].defaultIndex]
        }
        return costRange(of: target.metric, allowed: allowed)
    }

    /// Index of the most expensive option of each layer: the option whose architectures reach the
    /// highest target cost (ties: the first listed). With costs that rise with every option this is
    /// simply the option of highest cost.
    static func defaultIndices(for space: SearchSpace) -> [Int] {
        space.layers.indices.map { layer in
            var best = 0
            var bestCost = -Double.infinity
            for option in space.layers[layer].options.indices {
                let allowed = space.layers.indices.map { index in
                    index == layer ? [option] : Array(space.layers[index].options.indices)
                }
                let highest = space.costRange(of: space.target.metric, allowed: allowed).upperBound
                if highest > bestCost {
                    best = option
                    bestCost = highest
                }
            }
            return best
        }
    }
}

extension ClosedRange where Bound == Double {
    /// The smallest range containing both.
    func hull(_ other: ClosedRange<Double>) -> ClosedRange<Double> {
        Swift.min(lowerBound, other.lowerBound)...Swift.max(upperBound, other.upperBound)
    }
}
