/// What the score of a search means, from its evaluator, for axis labels: the built-in trainer
/// scores validation accuracy; the synthetic, table and command evaluators give a score whose
/// meaning only the user knows, so plots must not call it "accuracy".
enum ScoreLabel {
    /// `validation accuracy` for the trainer, `score (synthetic evaluator)` and the like for one
    /// other kind of evaluator, plain `score` when the searches use different kinds.
    static func name(for searches: [SearchSummary]) -> String {
        let kinds = Set(searches.map { kind(of: $0.evaluator) })
        guard kinds.count == 1, let kind = kinds.first else { return "score" }
        switch kind {
        case "trainer": return "validation accuracy (built-in trainer)"
        case "synthetic": return "score (synthetic evaluator)"
        case "table": return "score (from the table evaluator)"
        case "command": return "score (from the command evaluator)"
        default: return "score"
        }
    }

    /// `synthetic` for `synthetic:7`, `table` for `table:PATH`: the form before any `:`.
    static func kind(of evaluator: String) -> String {
        String(evaluator.split(separator: ":", maxSplits: 1).first ?? "")
    }
}
