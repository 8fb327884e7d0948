/// One cost metric of a space, expressed as transitions along the layer chain.
///
/// A whole-model cost is `Σ step(state_i, option_i) + finish(state_L)`, where a state is what the
/// next layer receives (see `ChainState`). Dense and conv costs depend on the neighbouring layers
/// only through that state, so this form is exact; it is what `CostBounds` optimises over.
struct CostChain: Sendable {
    let space: SearchSpace
    let metric: CostMetric

    /// What the first search layer receives, and what the fixed layers before it cost (a
    /// `mobilenet` stem).
    var initial: (state: ChainState, cost: Double) {
        guard let input = space.input else { return (.flat(width: 0), 0) }
        guard let frame = space.frame else { return (.image(input), 0) }
        let stem = ChainState.transition(from: .image(input), through: frame.stem)
        return (stem.next, Double(metric == .madds ? stem.madds : stem.params))
    }

    /// The state after layer `layer` takes option `option`, and the cost that adds.
    func step(_ state: ChainState, layer: Int, option: Int) -> (next: ChainState, cost: Double) {
        let chosen = space.layers[layer].options[option]
        if case .custom(let cost) = chosen.kind { return (state, cost) }
        var next = state
        var cost = 0
        for modelLayer in chosen.modelLayers {
            let transition = ChainState.transition(from: next, through: modelLayer)
            next = transition.next
            cost += metric == .madds ? transition.madds : transition.params
        }
        return (next, Double(cost))
    }

    /// The cost the fixed layers after the last search layer add: a `mobilenet` head conv, then
    /// the classifier head.
    func finish(_ state: ChainState) -> Double {
        guard let classes = space.classes, let head = space.head else { return 0 }
        var state = state
        var cost = 0
        if let headConv = space.frame?.headConv {
            let transition = ChainState.transition(from: state, through: headConv)
            state = transition.next
            cost += metric == .madds ? transition.madds : transition.params
        }
        let costs = ChainState.headCosts(from: state, head: head, classes: classes)
        return Double(cost + (metric == .madds ? costs.madds : costs.params))
    }
}
