import Foundation
import NASProcess
import NASSearch
import NASSpace
import NASTrainer

/// Builds the evaluator a search setting names: `synthetic[:SEED]`, `table:PATH`, `trainer`.
enum EvaluatorFactory {
    /// The evaluator a new search of `space` uses when none is given: the spec's `evaluator:`,
    /// else the family's (the trainer for mlp and cnn; custom spaces must name one).
    static func defaultEvaluator(for space: SearchSpace) -> String? {
        if let evaluator = space.evaluator { return normalize(evaluator) }
        switch space.family {
        case .mlp, .cnn: return "trainer"
        case .custom: return nil
        }
    }

    /// The stored form of a user-given evaluator: table paths made absolute.
    static func normalize(_ description: String) -> String {
        guard description.hasPrefix("table:") else { return description }
        let path = String(description.dropFirst("table:".count))
        let absolute = URL(fileURLWithPath: path).standardizedFileURL.path
        return "table:\(absolute)"
    }

    static func make(
        _ description: String, space: SearchSpace, threads: Int, database: String, evalTimeout: Double?,
        processGroups: ProcessGroups? = nil
    ) throws -> any Evaluator {
        if description.hasPrefix("command:") {
            do {
                var evaluator = try CommandEvaluator(
                    commandLine: String(description.dropFirst("command:".count)),
                    artifactsRoot: CommandEvaluator.defaultArtifactsRoot(database: database),
                    timeoutSeconds: evalTimeout)
                evaluator.processGroups = processGroups
                return evaluator
            } catch {
                throw CommandFailure(status: .badInput, description: String(describing: error))
            }
        }
        if description == "synthetic" { return SyntheticEvaluator() }
        if description.hasPrefix("synthetic:") {
            guard let seed = UInt64(description.dropFirst("synthetic:".count)) else {
                throw CommandFailure(status: .badInput, description: "--evaluator: synthetic seed must be a non-negative integer, got '\(description)'")
            }
            return SyntheticEvaluator(seed: seed)
        }
        if description.hasPrefix("table:") {
            return try TableEvaluator(path: String(description.dropFirst("table:".count)))
        }
        if description == "trainer" {
            guard space.family != .custom else {
                throw CommandFailure(status: .badInput, description: "--evaluator: the built-in trainer needs an mlp or cnn space; '\(space.name)' is custom")
            }
            let dataset = try DatasetLocation.load()
            return TrainerEvaluator(trainer: Trainer(dataset: dataset, threads: threads))
        }
        throw CommandFailure(status: .badInput, description: "--evaluator: unknown evaluator '\(description)'; use synthetic, synthetic:SEED, table:PATH, command:CMD or trainer")
    }
}
