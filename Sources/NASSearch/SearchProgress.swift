/// A snapshot of a running search, sent to the progress display after every evaluation.
package struct SearchProgress: Sendable {
    /// Candidates evaluated so far.
    package var evaluated: Int
    /// Candidates whose evaluation failed.
    package var failed: Int
    /// Candidates dropped as infeasible, never evaluated.
    package var dropped: Int
    /// Evaluation budget, if limited.
    package var budget: Int?
    /// Total time spent on the search, across all runs.
    package var elapsedSeconds: Double
    /// Seconds spent in this run (for rates).
    package var runSeconds: Double
    /// Evaluations made in this run (for rates).
    package var runEvaluations: Int
    /// Architecture key of the best candidate so far.
    package var bestKey: String?
    /// Score of the best candidate so far.
    package var bestScore: Double?
    /// Architecture key of the most recently evaluated candidate.
    package var lastKey: String?
    /// Score of the most recently evaluated candidate.
    package var lastScore: Double?
    /// Most recent evaluation error, if any.
    package var lastError: String?
    /// Evaluations running now.
    package var running: Int = 0
    /// When the longest-running of them started (seconds since 1970), so a display can show how
    /// long it has run without waiting for it to end.
    package var oldestRunningSince: Double?
}

/// How a run of `SearchRunner` ended.
package enum SearchOutcome: Sendable, Equatable {
    /// Nothing more to do under the current limits: no progress possible, or a budget reached.
    case finished(reason: String)
    /// The user stopped it; running it again resumes.
    case interrupted
    /// The machine failed under it (see `EvaluationError.environment`); running it again once
    /// that is fixed resumes.
    case stopped(reason: String)
}
