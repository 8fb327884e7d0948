import NASSpace
import NASStore

/// Plans one candidate per step for the baseline strategies, from the stored state alone.
///
/// - random: uniform over in-window architectures not generated yet (rejection sampling, then
///   enumeration of what is left when rejection keeps failing on a small remainder).
/// - evolution: regularized evolution (Real et al. 2019). The population is the last
///   `population` evaluated candidates; until it is full, new members are random. Then a
///   tournament of `sampleSize` members picks the best as parent, and one random layer is set to
///   another random option; mutants outside the window or already generated are redrawn.
/// - exhaustive: every in-window architecture in key order.
struct BaselinePlanner {
    let space: SearchSpace
    let settings: SearchSettings
    /// Exhaustive and the random fallback enumerate the space; larger spaces are refused.
    static let enumerationLimit = 1_000_000
    private static let rejectionTries = 20_000
    private static let mutationTries = 200

    enum Next {
        case candidate(StepPlan)
        case finished(reason: String)
    }

    func plan(step: Int, state: SearchState) -> Next {
        var random = StepRandom(seed: settings.seed, step: step)
        let chosen: (architecture: Architecture, parent: Int64?)?
        switch settings.strategy {
        case .random: chosen = randomUnseen(state: state, random: &random).map { ($0, nil) }
        case .evolution: chosen = evolve(state: state, random: &random)
        case .exhaustive: chosen = firstUnseenInOrder(state: state).map { ($0, nil) }
        case .layernas, .layernasPaper: preconditionFailure("LayerNAS steps come from the LayerNAS planners")
        }
        guard let chosen else {
            return .finished(reason: "every in-window architecture has been generated")
        }
        let candidate = NewCandidate(space: space, architecture: chosen.architecture, status: .pending,
                                     parentID: chosen.parent, layer: nil, seq: state.lastSeq + 1)
        let message = "\(settings.strategy.rawValue) step \(step): \(candidate.arch)"
        return .candidate(StepPlan(step: step, round: step, layer: nil, parents: chosen.parent.map { [$0] } ?? [],
                                   candidates: [candidate], expanded: [], message: message))
    }

    private func isNew(_ architecture: Architecture, _ state: SearchState, excluding: Set<Architecture> = []) -> Bool {
        state.idByArchitecture[architecture] == nil && !excluding.contains(architecture)
            && space.target.contains(space.targetCost(of: architecture))
    }

    private func randomArchitecture(_ random: inout StepRandom) -> Architecture {
        Architecture(space.layers.map { random.below($0.options.count) })
    }

    /// A uniform in-window architecture not generated yet (nor in `excluding`): rejection
    /// sampling, then a draw from the enumerated rest when the window is rare. Also the seeds of
    /// the anytime `layernas`.
    func randomUnseen(state: SearchState, excluding: Set<Architecture> = [], random: inout StepRandom) -> Architecture? {
        for _ in 0..<Self.rejectionTries {
            let architecture = randomArchitecture(&random)
            if isNew(architecture, state, excluding: excluding) { return architecture }
        }
        guard space.architectureCount <= Self.enumerationLimit else { return nil }
        let remaining = allArchitectures().filter { isNew($0, state, excluding: excluding) }
        return remaining.isEmpty ? nil : remaining[random.below(remaining.count)]
    }

    private func evolve(state: SearchState, random: inout StepRandom) -> (Architecture, Int64?)? {
        let evaluated = state.order.compactMap { state.candidates[$0] }.filter { $0.status == .evaluated }
        let population = Array(evaluated.suffix(settings.population))
        guard population.count >= settings.population else {
            return randomUnseen(state: state, random: &random).map { ($0, nil) }
        }
        let tournament = random.draw(settings.sampleSize, from: population)
        guard let parent = tournament.min(by: SearchState.Candidate.precedes) else { return nil }
        for _ in 0..<Self.mutationTries {
            let layer = random.below(space.layers.count)
            let options = space.layers[layer].options.count
            guard options > 1 else { continue }
            var option = random.below(options - 1)
            if option >= parent.architecture.optionIndices[layer] { option += 1 }
            let child = parent.architecture.replacing(layer: layer, with: option)
            if isNew(child, state) { return (child, parent.id) }
        }
        return randomUnseen(state: state, random: &random).map { ($0, nil) }
    }

    /// The next in-window architecture after the last one generated, in key order.
    private func firstUnseenInOrder(state: SearchState) -> Architecture? {
        var cursor: Architecture
        if let last = state.order.last.flatMap({ state.candidates[$0] }) {
            guard let next = successor(of: last.architecture) else { return nil }
            cursor = next
        } else {
            cursor = Architecture(space.layers.map { _ in 0 })
        }
        while true {
            if isNew(cursor, state) { return cursor }
            guard let next = successor(of: cursor) else { return nil }
            cursor = next
        }
    }

    /// The architecture after `architecture` in key order, or nil after the last one.
    private func successor(of architecture: Architecture) -> Architecture? {
        var indices = architecture.optionIndices
        for layer in indices.indices.reversed() {
            indices[layer] += 1
            if indices[layer] < space.layers[layer].options.count { return Architecture(indices) }
            indices[layer] = 0
        }
        return nil
    }

    /// Every architecture in key order (option indices, layer 1 most significant).
    func allArchitectures() -> [Architecture] {
        var result: [[Int]] = [[]]
        for layer in space.layers {
            result = result.flatMap { prefix in layer.options.indices.map { prefix + [$0] } }
        }
        return result.map(Architecture.init)
    }
}
