/// A snapshot of a running search, sent to the progress display after every evaluation.
public struct SearchProgress: Sendable {
    public var evaluated: Int
    public var failed: Int
    public var dropped: Int
    public var budget: Int?
    public var elapsedSeconds: Double
    /// Seconds spent in this run (for rates).
    public var runSeconds: Double
    /// Evaluations made in this run (for rates).
    public var runEvaluations: Int
    public var bestKey: String?
    public var bestScore: Double?
    public var lastKey: String?
    public var lastScore: Double?
    public var lastError: String?
}

/// How a run of `SearchRunner` ended.
public enum SearchOutcome: Sendable, Equatable {
    /// Nothing more to do under the current limits: no progress possible, or a budget reached.
    case finished(reason: String)
    /// The user stopped it; running it again resumes.
    case interrupted
}
