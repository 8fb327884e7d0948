import Foundation
import NASSpace
import NASStore

/// Plans the steps of the default `layernas` strategy: LayerNAS as an anytime searcher
/// (docs/ARCHITECTURE.md#anytime-layernas).
///
/// Every step makes P children (`--parents`, default 2), from the stored state and
/// `StepRandom(seed, step)` alone:
///
/// 1. **Seeding.** The first evaluation is LayerNAS's base model (every layer at its default) when
///    it lies in the window, as in the paper; the rest of the first `seedCount` evaluations are
///    uniform in-window architectures, so that the first evaluations already inform the answer.
/// 2. **Cost buckets at the resolution the evidence supports.** The store is the top-k (ranking:
///    score, then lower cost, then earlier) of each of H cost buckets over the window's feasible
///    span, recomputed from every evaluated in-window candidate. H is the largest power of two
///    with H · `evaluationsPerBucket` ≤ evaluations so far, at most `buckets` (coarse to fine:
///    a finer H reuses every score), and doubles early when every member of the coarser store is
///    exhausted.
/// 3. **Score-biased parents.** A tournament of `tournamentSize` store members that still have an
///    untried change; the best one is a parent. Each of the step's P children has its own parent.
/// 4. **A layer of the parent changed.** One of its layers with an untried option, at random,
///    is set to an untried option; the layers after it are repaired into the window (each keeps
///    its option if the model can still end in the window, else takes the nearest option that
///    can), so every evaluation is spent inside the window. The child is recorded with its parent
///    and the changed layer, which is what "tried" is read back from on resume.
///
/// The search finishes when no store member at the finest resolution has an untried change (every
/// cost niche is at a local optimum), or after `roundsBound · k · H · Σ|S_i|` evaluations: the
/// number of trainings stays polynomial in the size of the layerwise space.
struct AnytimeLayerNASPlanner {
    let space: SearchSpace
    let settings: SearchSettings
    /// `SearchSpace.isFeasible` remembered per prefix: a pure function of the space, so keeping it
    /// across steps changes no decision (and is not search state: a resume starts it empty).
    let feasibility: FeasibilityMemo
    /// The part of the target window that architectures can reach: the bucket bounds.
    let span: ClosedRange<Double>

    init(space: SearchSpace, settings: SearchSettings) {
        self.space = space
        self.settings = settings
        feasibility = FeasibilityMemo(space: space)
        let reachable = space.reachableRange
        let low = max(space.target.min, reachable.lowerBound)
        let high = min(space.target.max, reachable.upperBound)
        span = low <= high ? low...high : reachable
    }

    /// Uniform in-window architectures evaluated before the buckets are used.
    static let seedCount = 8
    /// Evaluations per bucket before the resolution doubles.
    static let evaluationsPerBucket = 8
    /// Store members drawn for one parent tournament.
    static let tournamentSize = 3
    /// The polynomial bound's factor: evaluations ≤ roundsBound · k · H · Σ|S_i|.
    static let roundsBound = 3

    enum Next {
        case step(StepPlan)
        case finished(reason: String)
    }

    /// The most evaluations a search may make: roundsBound · k · H · Σ|S_i|.
    var evaluationBound: Int {
        Self.roundsBound * settings.perBucket * settings.buckets * space.layers.map(\.options.count).reduce(0, +)
    }


    /// The next step: `settings.parents` children (P), each from its own tournament, so that
    /// `--jobs P` keeps P evaluations running; P is a setting, so the result never depends on jobs.
    func plan(step: Int, state: SearchState) -> Next {
        var random = StepRandom(seed: settings.seed, step: step)
        let evaluated = state.order.compactMap { state.candidates[$0] }
            .filter { $0.status == .evaluated && $0.inWindow && $0.score != nil }
        let generated = state.order.count
        if generated >= evaluationBound {
            return .finished(reason: "the bound of \(evaluationBound) evaluations (3·k·H·Σ|S_i|) is reached")
        }
        let batch = max(1, min(settings.parents, evaluationBound - generated))
        var planned: [(child: Architecture, parent: Int64?, layer: Int?)] = []
        var taken = Set<Architecture>()
        if generated < Self.seedCount || evaluated.isEmpty {
            let base = space.defaultArchitecture
            if generated == 0 && space.target.contains(space.targetCost(of: base)) {
                planned.append((base, nil, nil))
                taken.insert(base)
            }
            while planned.count < batch,
                  let seed = BaselinePlanner(space: space, settings: settings).randomUnseen(state: state, excluding: taken, random: &random) {
                planned.append((seed, nil, nil))
                taken.insert(seed)
            }
            if planned.isEmpty { return .finished(reason: "every in-window architecture has been generated") }
            return .step(plan(step: step, children: planned, state: state))
        }
        var buckets = resolution(evaluations: evaluated.count)
        var open = store(of: evaluated, buckets: buckets).filter { hasChange($0, state: state) }
        while open.isEmpty && buckets < settings.buckets {
            buckets = min(buckets * 2, settings.buckets)
            open = store(of: evaluated, buckets: buckets).filter { hasChange($0, state: state) }
        }
        while planned.count < batch {
            guard let parent = chooseParent(from: open, buckets: buckets, random: &random) else { break }
            open.removeAll { $0.id == parent.id }
            let byLayer = Dictionary(grouping: changes(of: parent, state: state).filter { !taken.contains($0.child) }, by: \.layer)
            guard let layer = random.draw(1, from: byLayer.keys.sorted()).first, let options = byLayer[layer] else { continue }
            let change = options[random.below(options.count)]
            planned.append((change.child, parent.id, layer))
            taken.insert(change.child)
        }
        if planned.isEmpty {
            return .finished(reason: "every store member at \(buckets) buckets has tried every change: each cost niche is at a local optimum")
        }
        return .step(plan(step: step, children: planned, state: state))
    }

    /// A tournament among the open members. Over a wide span (Pareto mode) a front is wanted, not
    /// one best model: a bucket is drawn uniformly and its best open member is the parent.
    func chooseParent(from open: [SearchState.Candidate], buckets: Int, random: inout StepRandom) -> SearchState.Candidate? {
        if isLogarithmic {
            let byBucket = Dictionary(grouping: open) { bucket(of: $0.cost, buckets: buckets) }
            guard let chosen = random.draw(1, from: byBucket.keys.sorted()).first else { return nil }
            return byBucket[chosen]?.min(by: SearchState.Candidate.precedes)
        }
        return random.draw(Self.tournamentSize, from: open).min(by: SearchState.Candidate.precedes)
    }

    /// H for `evaluations` in-window results: the largest power of two with H · evaluationsPerBucket
    /// ≤ evaluations, between 1 and `settings.buckets`.
    func resolution(evaluations: Int) -> Int {
        var buckets = 1
        while buckets * 2 <= settings.buckets && buckets * 2 * Self.evaluationsPerBucket <= evaluations {
            buckets *= 2
        }
        return buckets
    }

    /// The bucket of `cost` among `buckets` equal parts of the span (clamped to the ends).
    func bucket(of cost: Double, buckets: Int) -> Int {
        guard span.upperBound > span.lowerBound else { return 0 }
        let position: Double
        if isLogarithmic {
            position = Double(buckets) * log(cost / span.lowerBound) / log(span.upperBound / span.lowerBound)
        } else {
            position = Double(buckets) * (cost - span.lowerBound) / (span.upperBound - span.lowerBound)
        }
        return max(0, min(buckets - 1, Int(position.rounded(.down))))
    }

    /// Buckets are equal in log(cost) when the span covers more than a factor of 10 (a wide window,
    /// or none: Pareto mode), so the cheap end of the range gets its own niches.
    var isLogarithmic: Bool { span.lowerBound > 0 && span.upperBound > 10 * span.lowerBound }

    /// The top-k of every bucket, best first overall.
    func store(of evaluated: [SearchState.Candidate], buckets: Int) -> [SearchState.Candidate] {
        let grouped = Dictionary(grouping: evaluated) { bucket(of: $0.cost, buckets: buckets) }
        return grouped.values.flatMap { $0.sorted(by: SearchState.Candidate.precedes).prefix(settings.perBucket) }
            .sorted(by: SearchState.Candidate.precedes)
    }

    /// One untried change of a parent: layer (1-based), the new option there, and the repaired child.
    struct Change {
        var layer: Int
        var option: Int
        var child: Architecture
    }

    /// Whether `parent` has an untried change (stops at the first one found).
    func hasChange(_ parent: SearchState.Candidate, state: SearchState) -> Bool {
        !changes(of: parent, state: state, limit: 1).isEmpty
    }

    /// The changes of `parent` not tried yet whose (repaired) child is in the window and new, in
    /// layer and option order; at most `limit`.
    func changes(of parent: SearchState.Candidate, state: SearchState, limit: Int = .max) -> [Change] {
        var result: [Change] = []
        for layer in 1...space.layers.count {
            let tried = state.tried[SearchState.ParentKey(parent: parent.id, layer: layer)] ?? []
            let current = parent.architecture.optionIndices[layer - 1]
            for option in space.layers[layer - 1].options.indices where option != current && !tried.contains(option) {
                guard let child = repaired(parent.architecture.replacing(layer: layer - 1, with: option), after: layer - 1),
                      state.idByArchitecture[child] == nil else { continue }
                result.append(Change(layer: layer, option: option, child: child))
                if result.count >= limit { return result }
            }
        }
        return result
    }

    /// `architecture` with the layers after `layer` (0-based) brought back into the window: each
    /// keeps its option while the model can still end in the window, else takes the feasible option
    /// nearest in the layer's list (options are usually listed by size; ties take the later one).
    /// Nil when no in-window completion exists this way.
    func repaired(_ architecture: Architecture, after layer: Int) -> Architecture? {
        // An in-window model keeps every option (each of its prefixes can end in the window).
        if space.target.contains(space.targetCost(of: architecture)) { return architecture }
        var result = architecture
        if feasibility.isFeasible(result, decided: layer + 1) {
            for next in (layer + 1)..<space.layers.count {
                let current = result.optionIndices[next]
                let order = space.layers[next].options.indices.sorted {
                    (abs($0 - current), -$0) < (abs($1 - current), -$1)
                }
                guard let option = order.first(where: { feasibility.isFeasible(result.replacing(layer: next, with: $0), decided: next + 1) }) else {
                    return nil
                }
                result = result.replacing(layer: next, with: option)
            }
        }
        return space.target.contains(space.targetCost(of: result)) ? result : nil
    }


    private func plan(step: Int, children: [(child: Architecture, parent: Int64?, layer: Int?)], state: SearchState) -> StepPlan {
        let candidates = children.enumerated().map { index, planned in
            NewCandidate(space: space, architecture: planned.child, status: .pending, parentID: planned.parent,
                         layer: planned.layer, seq: state.lastSeq + 1 + index)
        }
        let origins = zip(children, candidates).map { planned, candidate in
            let origin = planned.parent.map { id in "layer \(planned.layer ?? 0) of \(state.candidates[id].map { space.key(of: $0.architecture) } ?? "?")" }
            return "\(candidate.arch) (\(origin ?? "seed"))"
        }
        let layer = children.count == 1 ? children[0].layer : nil
        return StepPlan(step: step, round: step, layer: layer, parents: children.compactMap(\.parent),
                        candidates: candidates, expanded: [], message: "layernas step \(step): \(origins.joined(separator: ", "))")
    }
}

/// Remembers `SearchSpace.isFeasible(_:decided:)`, which depends only on the decided prefix.
final class FeasibilityMemo: @unchecked Sendable {
    private let space: SearchSpace
    private var known: [[Int]: Bool] = [:]

    init(space: SearchSpace) {
        self.space = space
    }

    /// Used by one search loop at a time (the planner runs on the loop's thread only).
    func isFeasible(_ architecture: Architecture, decided: Int) -> Bool {
        let prefix = Array(architecture.optionIndices.prefix(decided))
        if let answer = known[prefix] { return answer }
        let answer = space.isFeasible(architecture, decided: decided)
        known[prefix] = answer
        return answer
    }
}
