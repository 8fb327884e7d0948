/// One cost metric of a space, expressed as transitions along the layer chain.
///
/// A whole-model cost is `Σ step(state_i, option_i) + finish(state_L)`, where a state is what the
/// next layer receives (see `ChainState`). Dense and conv costs depend on the neighbouring layers
/// only through that state, so this form is exact; it is what `CostBounds` optimises over.
struct CostChain: Sendable {
    let space: SearchSpace
    let metric: CostMetric

    var initialState: ChainState {
        guard let input = space.input else { return .flat(width: 0) }
        return .image(input)
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

    /// The cost the classifier head adds after the last layer.
    func finish(_ state: ChainState) -> Double {
        guard let classes = space.classes, let head = space.head else { return 0 }
        let costs = ChainState.headCosts(from: state, head: head, classes: classes)
        return Double(metric == .madds ? costs.madds : costs.params)
    }
}
