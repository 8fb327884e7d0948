/// A snapshot of a running search, sent to the progress display after every evaluation.
package struct SearchProgress: Sendable {
    package var evaluated: Int
    package var failed: Int
    package var dropped: Int
    package var budget: Int?
    package var elapsedSeconds: Double
    /// Seconds spent in this run (for rates).
    package var runSeconds: Double
    /// Evaluations made in this run (for rates).
    package var runEvaluations: Int
    package var bestKey: String?
    package var bestScore: Double?
    package var lastKey: String?
    package var lastScore: Double?
    package var lastError: String?
}

/// How a run of `SearchRunner` ended.
package enum SearchOutcome: Sendable, Equatable {
    /// Nothing more to do under the current limits: no progress possible, or a budget reached.
    case finished(reason: String)
    /// The user stopped it; running it again resumes.
    case interrupted
}
