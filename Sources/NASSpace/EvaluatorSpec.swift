/// The one grammar of evaluator names, shared by the spec's `evaluator:` field and
/// `--evaluator`: `trainer`, `synthetic`, `synthetic:SEED`, `table:PATH`, `command:CMD`.
/// What a name points to (a table file, a program) is checked when a search starts.
package enum EvaluatorSpec: Sendable, Equatable, CustomStringConvertible {
    /// The built-in OpenBLAS trainer (mlp, cnn and mobilenet spaces).
    case trainer
    /// The deterministic synthetic score, with its seed when one is given.
    case synthetic(seed: UInt64?)
    /// Scores looked up in a CSV table.
    case table(path: String)
    /// An external command speaking the evaluation protocol.
    case command(String)

    /// The forms, for messages.
    package static let forms = "trainer, synthetic, synthetic:SEED, table:PATH or command:CMD"

    /// Parses `text`; nil when it is none of the forms.
    package init?(parsing text: String) {
        if text == "trainer" {
            self = .trainer
        } else if text == "synthetic" {
            self = .synthetic(seed: nil)
        } else if text.hasPrefix("synthetic:") {
            guard let seed = UInt64(text.dropFirst("synthetic:".count)) else { return nil }
            self = .synthetic(seed: seed)
        } else if text.hasPrefix("table:"), !text.dropFirst("table:".count).allSatisfy(\.isWhitespace) {
            self = .table(path: String(text.dropFirst("table:".count)))
        } else if text.hasPrefix("command:"), !text.dropFirst("command:".count).allSatisfy(\.isWhitespace) {
            self = .command(String(text.dropFirst("command:".count)))
        } else {
            return nil
        }
    }

    /// The stored and displayed form (parses back to the same value).
    package var description: String {
        switch self {
        case .trainer: return "trainer"
        case .synthetic(let seed): return seed.map { "synthetic:\($0)" } ?? "synthetic"
        case .table(let path): return "table:\(path)"
        case .command(let line): return "command:\(line)"
        }
    }

    /// True when `name` names the built-in trainer.
    package static func isTrainer(_ name: String?) -> Bool { name.flatMap(EvaluatorSpec.init(parsing:)) == .trainer }
}
