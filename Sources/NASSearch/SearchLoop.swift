import Foundation
import NASSpace
import NASStore

/// One run of a search: plan a step, evaluate its children (up to `jobs` at once), offer the
/// results to the stores in generation order, repeat until a stop condition.
struct SearchLoop {
    let runner: SearchRunner
    var state: SearchState
    let startElapsed: Double
    let searchName: String
    let started = ContinuousClock.now
    var runEvaluations = 0
    let stores: LayerStores
    let planner: LayerNASPlanner
    let anytime: AnytimeLayerNASPlanner
    let baseline: BaselinePlanner
    let pool = EvaluationPool()
    /// Evaluations running now, with the lease keeper of each.
    var inFlight: [Int64: (attempt: Int, keeper: LeaseKeeper, since: Double)] = [:]
    /// Set when an evaluation could not run because the machine failed: the search stops.
    var environmentFailure: String?

    init(runner: SearchRunner, state: SearchState, startElapsed: Double, searchName: String) {
        self.runner = runner
        self.state = state
        self.startElapsed = startElapsed
        self.searchName = searchName
        stores = LayerStores(space: runner.space, bucketMap: BucketMap(space: runner.space, buckets: runner.settings.buckets),
                             perBucket: runner.settings.perBucket)
        planner = LayerNASPlanner(space: runner.space, settings: runner.settings)
        anytime = AnytimeLayerNASPlanner(space: runner.space, settings: runner.settings)
        baseline = BaselinePlanner(space: runner.space, settings: runner.settings)
    }

    var runSeconds: Double { Self.seconds(ContinuousClock.now - started) }

    var elapsed: Double { startElapsed + runSeconds }

    mutating func run() throws -> SearchOutcome {
        defer { inFlight.values.forEach { $0.keeper.stop() } }
        var stop: SearchOutcome?
        while true {
            try offerSettledResults()
            if stop == nil { stop = stopCondition() }
            if let stop {
                // Evaluations already running finish (or see the cancellation) and are recorded.
                if inFlight.isEmpty { return stop }
                try handle(pool.next())
                continue
            }
            let budgetRoom = runner.budget.map { $0 - state.evaluationsDone - inFlight.count } ?? Int.max
            let ready = state.pending(limit: min(runner.jobs - inFlight.count, budgetRoom), excluding: Set(inFlight.keys))
            if !ready.isEmpty {
                for id in ready { try dispatch(id) }
                // Shown at once: an hour-long evaluation must not leave the display empty.
                report(lastKey: nil, lastScore: nil, lastError: nil)
                continue
            }
            if !inFlight.isEmpty {
                try handle(pool.next())
                continue
            }
            if let last = state.steps.last, !last.isDone {
                try runner.store.completeStep(searchID: runner.searchID, step: last.step)
                state.steps[state.steps.count - 1].status = .done
            }
            if let reason = try planNextStep() { return .finished(reason: reason) }
        }
    }

    private func stopCondition() -> SearchOutcome? {
        if let environmentFailure { return .stopped(reason: environmentFailure) }
        if runner.isCancelled() { return .interrupted }
        if let budget = runner.budget, state.evaluationsDone >= budget {
            return .finished(reason: "budget of \(budget) evaluations reached")
        }
        if let limit = runner.timeLimitSeconds, elapsed >= limit {
            return .finished(reason: "time limit of \(Int(limit))s reached")
        }
        return nil
    }

    /// Commits the next step; returns a reason when there is none.
    private mutating func planNextStep() throws -> String? {
        let stepNumber = (state.steps.last?.step ?? 0) + 1
        let plan: StepPlan
        switch runner.settings.strategy {
        case .layernasPaper:
            switch planner.next(after: state.steps) {
            case .finished(let reason):
                return reason
            case .step(let round, let layer):
                if let last = state.steps.last, round > last.round {
                    try runner.store.recordRounds(searchID: runner.searchID, rounds: last.round)
                }
                plan = planner.plan(step: stepNumber, round: round, layer: layer, state: state)
            }
        case .layernas:
            switch anytime.plan(step: stepNumber, state: state) {
            case .finished(let reason): return reason
            case .step(let next): plan = next
            }
        case .random, .evolution, .exhaustive:
            switch baseline.plan(step: stepNumber, state: state) {
            case .finished(let reason): return reason
            case .candidate(let next): plan = next
            }
        }
        let ids = try runner.store.commitStep(searchID: runner.searchID, plan: plan)
        for (id, candidate) in zip(ids, plan.candidates) {
            let architecture = try runner.space.architecture(key: candidate.arch)
            state.add(SearchState.Candidate(
                id: id, architecture: architecture, cost: candidate.cost, inWindow: candidate.inWindow,
                status: candidate.status, score: nil, parentID: candidate.parentID, layer: candidate.layer,
                step: plan.step, seq: candidate.seq, offered: false))
        }
        for mark in plan.expanded {
            state.memberships[mark.layer]?[mark.candidateID]?.expanded = true
        }
        state.steps.append(StepRecord(step: plan.step, round: plan.round, layer: plan.layer, parents: plan.parents, isDone: false))
        return nil
    }

    /// Claims a pending candidate and starts its evaluation on a worker.
    private mutating func dispatch(_ id: Int64) throws {
        guard let candidate = state.candidates[id] else { preconditionFailure("pending candidate is known") }
        let attempt = try runner.store.claim(candidateID: id, owner: runner.owner, leaseSeconds: runner.leaseSeconds, now: runner.now())
        state.setStatus(id, .running)
        let keeper = LeaseKeeper(
            store: runner.store, searchID: runner.searchID, candidateID: id, owner: runner.owner,
            leaseSeconds: runner.leaseSeconds, interval: runner.leaseRenewalSeconds, now: runner.now)
        inFlight[id] = (attempt, keeper, Date().timeIntervalSince1970)
        let request = EvaluationRequest(
            searchName: searchName, candidateID: id, attempt: attempt, architecture: candidate.architecture,
            key: runner.space.key(of: candidate.architecture), space: runner.space,
            costs: runner.space.costs(of: candidate.architecture), isCancelled: runner.isCancelled)
        pool.start(request, with: runner.evaluator)
    }

    /// Records a finished evaluation.
    private mutating func handle(_ completion: EvaluationPool.Completion) throws {
        let id = completion.candidateID
        guard let running = inFlight.removeValue(forKey: id) else { preconditionFailure("completion of an unknown evaluation") }
        running.keeper.stop()
        let key = state.candidates[id].map { runner.space.key(of: $0.architecture) }
        switch completion.outcome {
        case .failure(.cancelled):
            try runner.store.release(candidateID: id)
            state.setStatus(id, .pending)
        case .failure(.environment(let reason)):
            try runner.store.release(candidateID: id)
            state.setStatus(id, .pending)
            environmentFailure = environmentFailure ?? reason
        case .failure(.failed(let reason)):
            try fail(id, reason: reason, seconds: completion.seconds)
        case .failure(.transient(let reason)):
            if running.attempt < runner.maxAttempts {
                try runner.store.retry(searchID: runner.searchID, candidateID: id, reason: "attempt \(running.attempt) failed: \(reason)")
                state.setStatus(id, .pending)
                report(lastKey: key, lastScore: nil, lastError: reason)
            } else {
                try fail(id, reason: "failed \(running.attempt) attempts; last: \(reason)", seconds: completion.seconds)
            }
        case .success(let result):
            guard result.score.isFinite else {
                try fail(id, reason: "evaluator returned a non-finite score (\(result.score))", seconds: completion.seconds)
                return
            }
            try record(result, of: id, attempt: running.attempt, seconds: completion.seconds)
            report(lastKey: key, lastScore: result.score, lastError: nil)
        }
    }

    /// Commits a score; when every earlier candidate is settled it is offered to the stores in
    /// the same transaction, otherwise later, in generation order.
    private mutating func record(_ result: EvaluationResult, of id: Int64, attempt: Int, seconds: Double) throws {
        state.setStatus(id, .evaluated, score: result.score)
        let isNext = state.firstUnsettled()?.id == id
        let changes = isNext ? consequences(of: id) : []
        let record = EvaluationRecord(
            score: result.score,
            metricsJSON: result.metrics.isEmpty ? nil : JSONText.encode(result.metrics),
            recipeJSON: result.recipe.map(JSONText.encode), seed: result.recipe?.seed, epochCount: result.recipe?.epochs,
            curve: result.curve,
            seconds: seconds)
        try runner.store.recordEvaluation(searchID: runner.searchID, candidateID: id, attempt: attempt, evaluation: record,
                                          changes: changes, offered: isNext, elapsedSeconds: elapsed)
        if isNext {
            state.apply(changes)
            state.markOffered(id)
        }
        runEvaluations += 1
    }

    /// Offers, in generation order, evaluated results whose earlier candidates are all settled.
    private mutating func offerSettledResults() throws {
        while let next = state.firstUnsettled(), next.status == .evaluated, !next.offered {
            let changes = consequences(of: next.id)
            try runner.store.recordOffer(searchID: runner.searchID, candidateID: next.id, changes: changes)
            state.apply(changes)
            state.markOffered(next.id)
        }
    }

    /// Insert(m, i) of a LayerNAS child; baselines keep no stores.
    private func consequences(of id: Int64) -> [MembershipChange] {
        guard runner.settings.strategy.hasLayerStores, let layer = state.candidates[id]?.layer else { return [] }
        return stores.offer(id, layer: layer, in: state)
    }

    private mutating func fail(_ id: Int64, reason: String, seconds: Double) throws {
        try runner.store.recordFailure(searchID: runner.searchID, candidateID: id, reason: reason,
                                       seconds: seconds, elapsedSeconds: elapsed)
        state.setStatus(id, .failed)
        runEvaluations += 1
        report(lastKey: state.candidates[id].map { runner.space.key(of: $0.architecture) }, lastScore: nil, lastError: reason)
    }

    private static func seconds(_ duration: Duration) -> Double {
        Double(duration.components.seconds) + Double(duration.components.attoseconds) * 1e-18
    }

    private func report(lastKey: String?, lastScore: Double?, lastError: String?) {
        let best = state.best
        runner.progress(SearchProgress(
            evaluated: state.count(.evaluated), failed: state.count(.failed), dropped: state.count(.dropped),
            budget: runner.budget, elapsedSeconds: elapsed,
            runSeconds: runSeconds, runEvaluations: runEvaluations,
            bestKey: best.map { runner.space.key(of: $0.architecture) }, bestScore: best?.score,
            lastKey: lastKey, lastScore: lastScore, lastError: lastError,
            running: inFlight.count, oldestRunningSince: inFlight.values.map(\.since).min()))
    }
}
