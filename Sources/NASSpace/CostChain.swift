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
        return ChainState.initial(input: input, head: space.family == .cnn ? .globalAveragePool : .flatten)
    }

    /// The state after layer `layer` takes option `option`, and the cost that adds.
    func step(_ state: ChainState, layer: Int, option: Int) -> (next: ChainState, cost: Double) {
        let chosen = space.layers[layer].options[option]
        if case .custom(let cost) = chosen.kind { return (state, cost) }
        guard let modelLayer = chosen.modelLayer else { return (state, 0) }
        let transition = ChainState.transition(from: state, through: modelLayer)
        return (transition.next, Double(metric == .madds ? transition.madds : transition.params))
    }

    /// The cost the classifier head adds after the last layer.
    func finish(_ state: ChainState) -> Double {
        guard let classes = space.classes else { return 0 }
        let head = ChainState.headCosts(from: state, classes: classes)
        return Double(metric == .madds ? head.madds : head.params)
    }
}
