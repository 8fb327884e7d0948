import Foundation
import NASSpace
import NASStore

/// Runs a search to the end of its limits, with the database as its only state.
///
/// Every step is committed before any of its children is evaluated, and every result is
/// committed in one transaction together with its consequences for the per-layer stores, so a
/// run killed at any moment and started again makes exactly the decisions an uninterrupted run
/// makes (docs/ARCHITECTURE.md#persistence-and-resume). A candidate left `running` by a dead process is evaluated again;
/// nothing that finished is.
package struct SearchRunner: Sendable {
    /// Database the search is recorded in.
    package let store: Store
    /// Row id of the search being run.
    package let searchID: Int64
    /// Search space being explored.
    package let space: SearchSpace
    /// Strategy settings for the search.
    package let settings: SearchSettings
    /// Scores candidates.
    package let evaluator: any Evaluator
    /// This process, as recorded in the database ("host:pid").
    package let owner: String
    /// Budget of evaluations (evaluated or failed) and of seconds over all runs; nil means none.
    package var budget: Int?
    /// Wall-clock limit for this run in seconds, if any.
    package var timeLimitSeconds: Double?
    /// Polled to learn whether the run should stop.
    package var isCancelled: @Sendable () -> Bool
    /// Called with progress after each evaluation.
    package var progress: @Sendable (SearchProgress) -> Void
    /// Unix time, for leases.
    package var now: @Sendable () -> Double
    /// Attempts an evaluation gets when it fails transiently (a crashed or timed-out command)
    /// before the candidate is recorded as failed.
    package var maxAttempts = 3
    /// Evaluations run at once. Children of a step are committed before any is evaluated, and
    /// results are offered to the stores in generation order whatever order they finish in, so
    /// every value gives the state `jobs = 1` gives.
    package var jobs = 1

    /// Called once the run owns the search and its stored state has passed every resume check,
    /// just before the first evaluation: the place to say "created"/"resuming", which must not
    /// appear when a resume is refused (another live process runs the search, say).
    package var started: @Sendable () -> Void = {}

    /// How long a claimed evaluation stays leased without a renewal.
    package var leaseSeconds: Double = 300
    /// How often a running evaluation renews its lease (and the search's heartbeat).
    package var leaseRenewalSeconds: Double = 60

    /// Creates a runner for a search already in the store.
    package init(
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
    package func run(isOwnerAlive: @escaping @Sendable (String, Double?) -> Bool) throws -> SearchOutcome {
        try store.takeOwnership(searchID: searchID, owner: owner, now: now(), isAlive: isOwnerAlive)
        _ = try store.reclaimRunning(searchID: searchID)
        let stored = try store.loadState(searchID: searchID)
        precondition(jobs >= 1, "at least one job")
        var loop = SearchLoop(runner: self, state: try SearchState(space: space, stored: stored),
                        startElapsed: stored.search.elapsedSeconds, searchName: stored.search.name)
        started()
        let outcome: SearchOutcome
        do {
            outcome = try loop.run()
        } catch {
            try? store.endRun(searchID: searchID, status: .failed, reason: String(describing: error), elapsedSeconds: loop.elapsed)
            throw error
        }
        switch outcome {
        case .finished(let reason):
            try store.endRun(searchID: searchID, status: .finished, reason: reason, elapsedSeconds: loop.elapsed)
        case .interrupted:
            try store.endRun(searchID: searchID, status: .stopped, reason: "interrupted by the user", elapsedSeconds: loop.elapsed)
        case .stopped(let reason):
            try store.endRun(searchID: searchID, status: .stopped, reason: reason, elapsedSeconds: loop.elapsed)
        }
        return outcome
    }
}
