import Foundation
import NASProcess
import NASSearch
import NASSpace
import NASTrainer

/// Builds the evaluator a search setting names: `synthetic[:SEED]`, `table:PATH`, `trainer`.
enum EvaluatorFactory {
    /// The evaluator a new search of `space` uses when none is given: the spec's `evaluator:`,
    /// else the family's (the trainer for mlp, cnn and mobilenet; custom spaces must name one).
    static func defaultEvaluator(for space: SearchSpace) -> String? {
        if let evaluator = space.evaluator { return normalize(evaluator) }
        switch space.family {
        case .mlp, .cnn, .mobilenet: return EvaluatorSpec.trainer.description
        case .custom: return nil
        }
    }

    /// The stored form of a user-given evaluator: table paths made absolute.
    static func normalize(_ description: String) -> String {
        guard case .table(let path) = EvaluatorSpec(parsing: description) else { return description }
        return EvaluatorSpec.table(path: URL(fileURLWithPath: path).standardizedFileURL.path).description
    }

    static func make(
        _ description: String, space: SearchSpace, threads: Int, database: String, evalTimeout: Double?,
        processGroups: ProcessGroups? = nil
    ) throws -> any Evaluator {
        guard let spec = EvaluatorSpec(parsing: description) else {
            if description.hasPrefix("synthetic:") {
                throw CommandFailure(status: .badInput, description: "--evaluator: synthetic seed must be a non-negative integer, got '\(description)'")
            }
            throw CommandFailure(status: .badInput, description: "--evaluator: unknown evaluator '\(description)'; use \(EvaluatorSpec.forms)")
        }
        switch spec {
        case .command(let commandLine):
            let root = ArtifactsDirectory.defaultRoot(database: database)
            do {
                try ArtifactsDirectory.claim(root: root, database: database)
            } catch {
                let status: ExitStatus = if case .belongsToAnother = error { .badInput } else { .failure }
                throw CommandFailure(status: status, description: error.description)
            }
            do {
                var evaluator = try CommandEvaluator(
                    commandLine: commandLine,
                    artifactsRoot: root,
                    timeoutSeconds: evalTimeout)
                evaluator.processGroups = processGroups
                return evaluator
            } catch {
                throw CommandFailure(status: .badInput, description: String(describing: error))
            }
        case .synthetic(let seed):
            return seed.map { SyntheticEvaluator(seed: $0) } ?? SyntheticEvaluator()
        case .table(let path):
            return try TableEvaluator(path: path)
        case .trainer:
            guard space.family != .custom else {
                throw CommandFailure(status: .badInput, description: "--evaluator: the built-in trainer needs an mlp, cnn or mobilenet space; '\(space.name)' is custom")
            }
            let dataset = try DatasetLocation.load()
            return TrainerEvaluator(trainer: Trainer(dataset: dataset, threads: threads))
        }
    }
}
