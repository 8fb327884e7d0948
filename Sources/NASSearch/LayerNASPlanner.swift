import NASSpace
import NASStore

/// Plans the next LayerNAS step from the stored state (docs/ARCHITECTURE.md#algorithm-choices).
///
/// A round sweeps layers 1..L. At layer i the pool is the base model (all defaults) when i = 1,
/// else the kept members of M_{i−1} that still have an untried option at layer i whose child is
/// feasible. P parents are drawn uniformly from the pool (ordered by id); each tries its untried
/// layer-i options in random order until Q feasible children were made. Infeasible children are
/// recorded as dropped and do not count. A parent whose options are all tried is marked expanded.
/// Steps with an empty pool are recorded too, so the position in the sweep and the "round made
/// no progress" stopping rule are read back from the database alone.
///
/// With `layerwiseStrict`, layer i is stepped until its pool is empty before layer i+1 starts:
/// M_{i−1} is then final when layer i is expanded, which keeps trainings within O(k·H·Σ|S_i|).
struct LayerNASPlanner {
    let space: SearchSpace
    let settings: SearchSettings

    enum Next {
        case step(round: Int, layer: Int)
        case finished(reason: String)
    }

    /// Where the sweep goes after the last recorded step.
    func next(after steps: [StepRecord]) -> Next {
        let layers = space.layers.count
        guard let last = steps.last, let lastLayer = last.layer else { return .step(round: 1, layer: 1) }
        if settings.layerwiseStrict {
            if !last.parents.isEmpty { return .step(round: 1, layer: lastLayer) }
            if lastLayer < layers { return .step(round: 1, layer: lastLayer + 1) }
            return .finished(reason: "every layer is finished: no parent has an untried feasible option")
        }
        if lastLayer < layers { return .step(round: last.round, layer: lastLayer + 1) }
        let progress = steps.contains { $0.round == last.round && !$0.parents.isEmpty }
        if progress { return .step(round: last.round + 1, layer: 1) }
        return .finished(reason: "round \(last.round) made no progress: no parent has an untried feasible option")
    }

    /// Options of layer `layer` (1-based) a parent may still try: all not yet tried, except, past
    /// layer 1, the default (that child is the parent itself, already in M_layer).
    func untriedOptions(parent: Int64?, layer: Int, state: SearchState) -> [Int] {
        let tried = state.tried[SearchState.ParentKey(parent: parent, layer: layer)] ?? []
        let defaultIndex = space.layers[layer - 1].defaultIndex
        return space.layers[layer - 1].options.indices.filter { option in
            !tried.contains(option) && (layer == 1 || option != defaultIndex)
        }
    }

    func architecture(of parent: Int64?, in state: SearchState) -> Architecture {
        parent.flatMap { state.candidates[$0]?.architecture } ?? space.defaultArchitecture
    }

    /// Whether a parent can still produce a feasible child at `layer`.
    func isEligible(parent: Int64?, layer: Int, state: SearchState) -> Bool {
        let base = architecture(of: parent, in: state)
        return untriedOptions(parent: parent, layer: layer, state: state).contains { option in
            space.isFeasible(base.replacing(layer: layer - 1, with: option), decided: layer)
        }
    }

    /// The step plan: parents drawn, children generated (pending or dropped), expansion marks.
    func plan(step: Int, round: Int, layer: Int, state: SearchState) -> StepPlan {
        var random = StepRandom(seed: settings.seed, step: step)
        let candidates: [Int64?] = layer == 1 ? [nil] : state.keptMembers(layer: layer - 1).map { Optional($0) }
        let pool = candidates.filter { isEligible(parent: $0, layer: layer, state: state) }
        let parents = random.draw(settings.parents, from: pool)
        var children: [NewCandidate] = []
        var expanded: [(layer: Int, candidateID: Int64)] = []
        var seq = state.lastSeq
        var feasibleCount = 0
        var droppedCount = 0
        for parent in parents {
            let base = architecture(of: parent, in: state)
            let untried = random.shuffled(untriedOptions(parent: parent, layer: layer, state: state))
            var made = 0
            var triedNow = 0
            for option in untried where made < settings.children {
                triedNow += 1
                let child = base.replacing(layer: layer - 1, with: option)
                precondition(state.idByArchitecture[child] == nil, "LayerNAS generates each child from one parent only")
                let feasible = space.isFeasible(child, decided: layer)
                seq += 1
                children.append(NewCandidate(space: space, architecture: child, status: feasible ? .pending : .dropped,
                                             parentID: parent, layer: layer, seq: seq))
                if feasible { made += 1; feasibleCount += 1 } else { droppedCount += 1 }
            }
            if triedNow == untried.count, let parent, layer > 1 {
                expanded.append((layer - 1, parent))
            }
        }
        let parentText = parents.map { $0.map { state.candidates[$0].map { space.key(of: $0.architecture) } ?? "?" } ?? "base" }
        let message = parents.isEmpty
            ? "round \(round) layer \(layer): no eligible parent"
            : "round \(round) layer \(layer): parents \(parentText.joined(separator: ", ")); \(feasibleCount) children to evaluate, \(droppedCount) dropped"
        // The base model is stored as parent 0 (candidate ids start at 1).
        return StepPlan(step: step, round: round, layer: layer, parents: parents.map { $0 ?? 0 },
                        candidates: children, expanded: expanded, message: message)
    }
}

extension NewCandidate {
    /// A new candidate with every cost computed from the space.
    init(space: SearchSpace, architecture: Architecture, status: CandidateStatus, parentID: Int64?, layer: Int?, seq: Int) {
        let cost = space.targetCost(of: architecture)
        self.init(
            arch: space.key(of: architecture), optionLabels: space.options(of: architecture).map(\.label),
            costs: space.costs(of: architecture), cost: cost, inWindow: space.target.contains(cost),
            status: status, parentID: parentID, layer: layer, seq: seq)
    }
}
