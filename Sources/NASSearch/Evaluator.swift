import NASSpace

/// Gives a score to a candidate: the built-in trainer, an external command, a table lookup or a
/// synthetic function. The search loop knows only this protocol (docs/ARCHITECTURE.md#adding-an-evaluator).
///
/// Evaluation is synchronous, CPU-bound work; it must check `request.isCancelled` between
/// batches or epochs and throw `EvaluationError.cancelled` when it returns true.
package protocol Evaluator: Sendable {
    /// How the evaluator is described in settings, e.g. `synthetic` or `table:bench.csv`.
    var description: String { get }

    func evaluate(_ request: EvaluationRequest) throws(EvaluationError) -> EvaluationResult
}

/// What an evaluator gets for one candidate.
package struct EvaluationRequest: Sendable {
    /// Name of the search the candidate belongs to.
    package var searchName: String
    /// Row id of the candidate to evaluate.
    package var candidateID: Int64
    /// Attempt number of this evaluation (1 for the first; more after a retry or a crash).
    package var attempt: Int
    /// Candidate's architecture, one option index per layer.
    package var architecture: Architecture
    /// Canonical key, e.g. `C-B-D`.
    package var key: String
    /// Search space the architecture is drawn from.
    package var space: SearchSpace
    /// Candidate's computed costs.
    package var costs: Costs
    /// Returns true once the user asked the search to stop.
    package var isCancelled: @Sendable () -> Bool

    /// Creates a request to evaluate one candidate.
    package init(
        searchName: String = "", candidateID: Int64, attempt: Int = 1, architecture: Architecture, key: String,
        space: SearchSpace, costs: Costs, isCancelled: @escaping @Sendable () -> Bool
    ) {
        self.searchName = searchName
        self.candidateID = candidateID
        self.attempt = attempt
        self.architecture = architecture
        self.key = key
        self.space = space
        self.costs = costs
        self.isCancelled = isCancelled
    }
}

/// A finished evaluation.
package struct EvaluationResult: Sendable {
    /// Higher is better (e.g. validation accuracy). Must be finite.
    package var score: Double
    /// Extra numbers to store with the score (e.g. test accuracy, loss).
    package var metrics: [String: Double]
    /// How the score was made (training recipe), stored with it.
    package var recipe: TrainingRecipe?
    /// Per-epoch curve, when the evaluator trains.
    package var curve: [EpochPoint]

    /// Creates a result from a score and optional training details.
    package init(score: Double, metrics: [String: Double] = [:], recipe: TrainingRecipe? = nil, curve: [EpochPoint] = []) {
        self.score = score
        self.metrics = metrics
        self.recipe = recipe
        self.curve = curve
    }
}

/// Why an evaluation produced no score.
package enum EvaluationError: Error, Sendable, Equatable, CustomStringConvertible {
    /// The candidate cannot be scored (missing from a table, diverged training, bad output).
    /// The search records it as failed and goes on.
    case failed(String)
    /// The evaluation failed for a reason that may pass (a crashed or timed-out command, a lost
    /// node): the search tries again, up to its retry limit, then records it as failed.
    case transient(String)
    /// The user stopped the search; the candidate will be evaluated again on resume.
    case cancelled
    /// The machine layernas runs on failed (no room or no permission for the working
    /// directory): not the candidate's fault. The search stops with the reason; the candidate is
    /// evaluated again on resume.
    case environment(String)

    /// Human-readable message for the error.
    package var description: String {
        switch self {
        case .failed(let reason), .transient(let reason), .environment(let reason): return reason
        case .cancelled: return "cancelled"
        }
    }
}
