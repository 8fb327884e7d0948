import Foundation
import NASSpace
import NASStore

/// Runs a search to the end of its limits, with the database as its only state.
///
/// Every step is committed before any of its children is evaluated, and every result is
/// committed in one transaction together with its consequences for the per-layer stores, so a
/// run killed at any moment and started again makes exactly the decisions an uninterrupted run
/// makes (design.md §4). A candidate left `running` by a dead process is evaluated again;
/// nothing that finished is.
public struct SearchRunner: Sendable {
    public let store: Store
    public let searchID: Int64
    public let space: SearchSpace
    public let settings: SearchSettings
    public let evaluator: any Evaluator
    /// This process, as recorded in the database ("host:pid").
    public let owner: String
    /// Budget of evaluations (evaluated or failed) and of seconds over all runs; nil means none.
    public var budget: Int?
    public var timeLimitSeconds: Double?
    public var isCancelled: @Sendable () -> Bool
    public var progress: @Sendable (SearchProgress) -> Void
    /// Unix time, for leases.
    public var now: @Sendable () -> Double
    /// Attempts an evaluation gets when it fails transiently (a crashed or timed-out command)
    /// before the candidate is recorded as failed.
    public var maxAttempts = 3

    /// How long a claimed evaluation stays leased without a renewal.
    public var leaseSeconds: Double = 300
    /// How often a running evaluation renews its lease (and the search's heartbeat).
    public var leaseRenewalSeconds: Double = 60

    public init(
        store: Store, searchID: Int64, space: SearchSpace, settings: SearchSettings, evaluator: any Evaluator,
        owner: String, budget: Int?, timeLimitSeconds: Double?,
        isCancelled: @escaping @Sendable () -> Bool = { false },
        progress: @escaping @Sendable (SearchProgress) -> Void = { _ in },
        now: @escaping @Sendable () -> Double = { Date().timeIntervalSince1970 }
    ) {
        self.store = store
        self.searchID = searchID
        self.space = space
        self.settings = settings
        self.evaluator = evaluator
        self.owner = owner
        self.budget = budget
        self.timeLimitSeconds = timeLimitSeconds
        self.isCancelled = isCancelled
        self.progress = progress
        self.now = now
    }

    /// Takes the search, runs it until it finishes, hits a limit or is cancelled, and records how
    /// it ended.
    ///
    /// - Parameter isOwnerAlive: whether a previously recorded owner process still runs.
    public func run(isOwnerAlive: @escaping @Sendable (String, Double?) -> Bool) throws -> SearchOutcome {
        try store.takeOwnership(searchID: searchID, owner: owner, now: now(), isAlive: isOwnerAlive)
        _ = try store.reclaimRunning(searchID: searchID)
        let stored = try store.loadState(searchID: searchID)
        var loop = Loop(runner: self, state: try SearchState(space: space, stored: stored),
                        startElapsed: stored.search.elapsedSeconds, searchName: stored.search.name)
        let outcome: SearchOutcome
        do {
            outcome = try loop.run()
        } catch {
            try? store.endRun(searchID: searchID, status: "failed", reason: String(describing: error), elapsedSeconds: loop.elapsed)
            throw error
        }
        switch outcome {
        case .finished(let reason):
            try store.endRun(searchID: searchID, status: "finished", reason: reason, elapsedSeconds: loop.elapsed)
        case .interrupted:
            try store.endRun(searchID: searchID, status: "stopped", reason: "interrupted by the user", elapsedSeconds: loop.elapsed)
        }
        return outcome
    }
}

/// One run's loop: plan a step, evaluate its children, repeat.
private struct Loop {
    let runner: SearchRunner
    var state: SearchState
    let startElapsed: Double
    let searchName: String
    let started = ContinuousClock.now
    var runEvaluations = 0
    let stores: LayerStores
    let planner: LayerNASPlanner
    let baseline: BaselinePlanner

    init(runner: SearchRunner, state: SearchState, startElapsed: Double, searchName: String) {
        self.runner = runner
        self.state = state
        self.startElapsed = startElapsed
        self.searchName = searchName
        stores = LayerStores(space: runner.space, bucketMap: BucketMap(space: runner.space, buckets: runner.settings.buckets),
                             perBucket: runner.settings.perBucket)
        planner = LayerNASPlanner(space: runner.space, settings: runner.settings)
        baseline = BaselinePlanner(space: runner.space, settings: runner.settings)
    }

    var runSeconds: Double {
        let duration = ContinuousClock.now - started
        return Double(duration.components.seconds) + Double(duration.components.attoseconds) * 1e-18
    }

    var elapsed: Double { startElapsed + runSeconds }

    mutating func run() throws -> SearchOutcome {
        while true {
            if runner.isCancelled() { return .interrupted }
            if let budget = runner.budget, state.evaluationsDone >= budget {
                return .finished(reason: "budget of \(budget) evaluations reached")
            }
            if let limit = runner.timeLimitSeconds, elapsed >= limit {
                return .finished(reason: "time limit of \(Int(limit))s reached")
            }
            if let pending = state.nextPending() {
                if try evaluate(pending) == .cancelled { return .interrupted }
                continue
            }
            if let last = state.steps.last, !last.isDone {
                try runner.store.completeStep(searchID: runner.searchID, step: last.step)
                state.steps[state.steps.count - 1].isDone = true
            }
            if let reason = try planNextStep() { return .finished(reason: reason) }
        }
    }

    /// Commits the next step; returns a reason when there is none.
    private mutating func planNextStep() throws -> String? {
        let stepNumber = (state.steps.last?.step ?? 0) + 1
        let plan: StepPlan
        if runner.settings.strategy == .layernas {
            switch planner.next(after: state.steps) {
            case .finished(let reason):
                return reason
            case .step(let round, let layer):
                if let last = state.steps.last, round > last.round {
                    try runner.store.recordRounds(searchID: runner.searchID, rounds: last.round)
                }
                plan = planner.plan(step: stepNumber, round: round, layer: layer, state: state)
            }
        } else {
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
                step: plan.step, seq: candidate.seq))
        }
        for mark in plan.expanded {
            state.memberships[mark.layer]?[mark.candidateID]?.expanded = true
        }
        state.steps.append(StepRecord(step: plan.step, round: plan.round, layer: plan.layer, parents: plan.parents, isDone: false))
        return nil
    }

    private enum Evaluated { case done, cancelled }

    private mutating func evaluate(_ id: Int64) throws -> Evaluated {
        guard let candidate = state.candidates[id] else { preconditionFailure("pending candidate is known") }
        let attempt = try runner.store.claim(candidateID: id, owner: runner.owner, leaseSeconds: runner.leaseSeconds, now: runner.now())
        let key = runner.space.key(of: candidate.architecture)
        let request = EvaluationRequest(
            searchName: searchName, candidateID: id, attempt: attempt, architecture: candidate.architecture, key: key, space: runner.space,
            costs: runner.space.costs(of: candidate.architecture), isCancelled: runner.isCancelled)
        let clock = ContinuousClock.now
        let keeper = LeaseKeeper(
            store: runner.store, searchID: runner.searchID, candidateID: id, owner: runner.owner,
            leaseSeconds: runner.leaseSeconds, interval: runner.leaseRenewalSeconds, now: runner.now)
        defer { keeper.stop() }
        let result: EvaluationResult
        do {
            result = try runner.evaluator.evaluate(request)
        } catch .cancelled {
            try runner.store.release(candidateID: id)
            return .cancelled
        } catch .failed(let reason) {
            try fail(id, reason: reason, started: clock)
            return .done
        } catch .transient(let reason) {
            if attempt < runner.maxAttempts {
                try runner.store.retry(searchID: runner.searchID, candidateID: id, reason: "attempt \(attempt) failed: \(reason)")
                report(lastKey: key, lastScore: nil, lastError: reason)
            } else {
                try fail(id, reason: "failed \(attempt) attempts; last: \(reason)", started: clock)
            }
            return .done
        }
        guard result.score.isFinite else {
            try fail(id, reason: "evaluator returned a non-finite score (\(result.score))", started: clock)
            return .done
        }
        let seconds = seconds(since: clock)
        // The state changes before the commit; if the commit fails the run ends and the state is
        // rebuilt from the database on the next start.
        state.setStatus(id, .evaluated, score: result.score)
        let changes = runner.settings.strategy == .layernas && candidate.layer != nil
            ? stores.offer(id, layer: candidate.layer ?? 1, in: state) : []
        let record = EvaluationRecord(
            score: result.score,
            metricsJSON: result.metrics.isEmpty ? nil : JSONText.encode(result.metrics),
            recipeJSON: result.recipe.map(JSONText.encode), seed: result.recipe?.seed, epochCount: result.recipe?.epochs,
            curve: result.curve.map {
                EpochRow(epoch: $0.epoch, trainLoss: $0.trainLoss, trainAccuracy: $0.trainAccuracy,
                         validationAccuracy: $0.validationAccuracy, seconds: $0.seconds)
            },
            seconds: seconds)
        try runner.store.recordEvaluation(searchID: runner.searchID, candidateID: id, attempt: attempt, evaluation: record,
                                          changes: changes, elapsedSeconds: elapsed)
        state.apply(changes)
        runEvaluations += 1
        report(lastKey: key, lastScore: result.score, lastError: nil)
        return .done
    }

    private mutating func fail(_ id: Int64, reason: String, started: ContinuousClock.Instant) throws {
        try runner.store.recordFailure(searchID: runner.searchID, candidateID: id, reason: reason,
                                       seconds: seconds(since: started), elapsedSeconds: elapsed)
        state.setStatus(id, .failed)
        runEvaluations += 1
        report(lastKey: state.candidates[id].map { runner.space.key(of: $0.architecture) }, lastScore: nil, lastError: reason)
    }

    private func seconds(since instant: ContinuousClock.Instant) -> Double {
        let duration = ContinuousClock.now - instant
        return Double(duration.components.seconds) + Double(duration.components.attoseconds) * 1e-18
    }

    private func report(lastKey: String?, lastScore: Double?, lastError: String?) {
        let best = state.best
        runner.progress(SearchProgress(
            evaluated: state.count(.evaluated), failed: state.count(.failed), dropped: state.count(.dropped),
            budget: runner.budget, elapsedSeconds: elapsed,
            runSeconds: runSeconds, runEvaluations: runEvaluations,
            bestKey: best.map { runner.space.key(of: $0.architecture) }, bestScore: best?.score,
            lastKey: lastKey, lastScore: lastScore, lastError: lastError))
    }
}
