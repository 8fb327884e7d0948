import ArgumentParser
import Foundation
import NASSearch
import NASSpace
import NASStore
import NASQuery
import NASTrainer

/// `layernas retrain DB`: train the search's answer (or a named candidate or architecture) with
/// the full recipe, checkpointing each epoch in the database, and report its test accuracy
/// (docs/ARCHITECTURE.md#retraining-and-onnx-export).
struct RetrainCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "retrain",
        abstract: "Retrain the search's answer with the full recipe and report its test accuracy.",
        discussion: """
            Trains on all 60,000 training images (or, with --validation, on the first 50,000 with \
            the last 10,000 for a per-epoch validation accuracy), then measures the 10,000 test \
            images once. The recipe is the space's, with 20 epochs and no training subset unless \
            the options below say otherwise. Each epoch's weights and optimizer state are \
            committed to the database: kill it at any time and run the same command again to \
            resume; the result is bit-identical to an uninterrupted run with the same --threads. \
            Running it again after it finished reports the stored result without training.

            Example:
              layernas retrain runs/fashion-mlp.db --epochs 10 --output best.onnx
              layernas retrain runs/fashion-mlp.db --candidate 12 --validation --seed 2
            """
    )

    @Argument(help: "Path of the search database.")
    var database: String

    @Option(help: "Name of the search (default: the only one).")
    var name: String?

    @Option(parsing: .unconditional, help: "Candidate id to retrain (default: the search's answer, as 'best' reports it).")
    var candidate: Int64?

    @Option(help: "Architecture key of the space to retrain instead of a candidate.")
    var arch: String?

    @Option(parsing: .unconditional, help: "Epochs of the full recipe.")
    var epochs: Int = 20

    @Option(name: .customLong("batch-size"), parsing: .unconditional, help: "Mini-batch size (default: the space's recipe).")
    var batchSize: Int?

    @Option(name: .customLong("learning-rate"), parsing: .unconditional, help: "Initial learning rate (default: the space's recipe).")
    var learningRate: Double?

    @Option(help: "Learning-rate schedule (default: the space's recipe).")
    var schedule: TrainingRecipe.Schedule?

    @Option(parsing: .unconditional, help: "Seed of initialisation and shuffling (default: the space's recipe).")
    var seed: UInt64?

    @Option(name: .customLong("train-subset"), parsing: .unconditional, help: "Train on the first N training images only (for quick checks; default: all).")
    var trainSubset: Int?

    @Flag(help: "Keep the last 10,000 training images for validation (per-epoch validation accuracy).")
    var validation = false

    @Option(parsing: .unconditional, help: "Training threads (default: all cores). Part of what identifies a retraining.")
    var threads: Int?

    @Option(help: "Also write the trained model as ONNX to this file.")
    var output: String?

    @Option(help: "Output format.")
    var format: OutputFormat = .text

    @Flag(help: "No per-epoch progress on stderr.")
    var quiet = false

    func run() async throws {
        let recipe = try checkedRecipeOverrides()
        if let threads, !(1...1024).contains(threads) {
            throw CommandFailure(status: .badInput, description: "--threads: must be between 1 and 1024, got \(threads)")
        }
        if candidate != nil && arch != nil {
            throw CommandFailure(status: .badInput, description: "--candidate and --arch: give one of them, not both")
        }
        if let output { try ModelExportOutput.check(output, database: database) }
        // Opened for writing (an older schema is migrated), but never created: a retraining
        // belongs to a search that exists.
        guard FileManager.default.fileExists(atPath: database) else { throw StoreError.missing(path: database) }
        let store = try Store(path: database)
        let search = try SearchLookup.find(store: store, name: name)
        let chosen = try RetrainTarget.choose(store: store, search: search, candidate: candidate, arch: arch)
        var fullRecipe = search.space.training
        fullRecipe.epochs = recipe.epochs
        fullRecipe.trainSubset = recipe.trainSubset
        fullRecipe.batchSize = recipe.batchSize ?? fullRecipe.batchSize
        fullRecipe.learningRate = recipe.learningRate ?? fullRecipe.learningRate
        fullRecipe.schedule = recipe.schedule ?? fullRecipe.schedule
        fullRecipe.seed = recipe.seed ?? fullRecipe.seed
        let threadCount = threads ?? ProcessInfo.processInfo.activeProcessorCount

        var dataset = try DatasetLocation.load(includeTest: true)
        if !validation { dataset = dataset.trainingOnAllImages() }
        if let subset = fullRecipe.trainSubset, subset > dataset.training.count {
            throw CommandFailure(status: .badInput, description: "--train-subset: must be between 1 and \(dataset.training.count), got \(subset)")
        }
        let key = RetrainingKey(
            searchID: search.record.id, candidateID: chosen.candidateID, arch: chosen.arch, recipeJSON: JSONText.encode(fullRecipe),
            seed: fullRecipe.seed, epochs: fullRecipe.epochs, threads: threadCount, validation: validation,
            trainImages: fullRecipe.trainSubset ?? dataset.training.count)
        let run = RetrainRun(store: store, key: key, shape: chosen.shape, recipe: fullRecipe,
                             trainer: Trainer(dataset: dataset, threads: threadCount), quiet: quiet)
        let record = try run.trainOrResume()
        var report = RetrainReport(search: search.record.name, record: record, shape: chosen.shape)
        if let output {
            guard let bytes = try store.retrainingWeights(id: record.id) else {
                throw CommandFailure(status: .failure, description: "retraining \(record.id) has no stored weights")
            }
            try ModelExportOutput.write(shape: chosen.shape, weightBytes: bytes, to: output, database: database, retrainingID: record.id,
                                        arch: record.key.arch)
            report.onnx = output
        }
        try format.print(report)
    }

    /// The overrides, range-checked, naming the option at fault (exit 2).
    private func checkedRecipeOverrides() throws -> (epochs: Int, trainSubset: Int?, batchSize: Int?, learningRate: Double?,
                                                    schedule: TrainingRecipe.Schedule?, seed: UInt64?) {
        if !(1...10_000).contains(epochs) {
            throw CommandFailure(status: .badInput, description: "--epochs: must be between 1 and 10000, got \(epochs)")
        }
        if let batchSize, !(1...65_536).contains(batchSize) {
            throw CommandFailure(status: .badInput, description: "--batch-size: must be between 1 and 65536, got \(batchSize)")
        }
        if let learningRate, !(learningRate > 0 && learningRate <= 100) {
            throw CommandFailure(status: .badInput, description: "--learning-rate: must be in (0, 100], got \(learningRate)")
        }
        if let trainSubset, trainSubset < 1 {
            throw CommandFailure(status: .badInput, description: "--train-subset: must be at least 1, got \(trainSubset)")
        }
        return (epochs, trainSubset, batchSize, learningRate, schedule, seed)
    }
}

extension TrainingRecipe.Schedule: ExpressibleByArgument {}
