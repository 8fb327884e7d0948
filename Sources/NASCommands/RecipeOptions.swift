import ArgumentParser
import NASSpace

/// The training-recipe overrides `search` and `train` share: each replaces the space's value, and
/// the result is checked in one place.
struct RecipeOptions: ParsableArguments {
    @Option(parsing: .unconditional, help: "Training recipe: epochs (default: the space's recipe).")
    var epochs: Int?

    @Option(name: .customLong("train-subset"), parsing: .unconditional, help: "Training recipe: train on the first N training images (default: the space's recipe).")
    var trainSubset: Int?

    @Option(name: .customLong("batch-size"), parsing: .unconditional, help: "Training recipe: mini-batch size (default: the space's recipe).")
    var batchSize: Int?

    @Option(name: .customLong("learning-rate"), parsing: .unconditional, help: "Training recipe: learning rate (default: the space's recipe).")
    var learningRate: Double?

    /// Whether any override was given.
    var isEmpty: Bool { epochs == nil && trainSubset == nil && batchSize == nil && learningRate == nil }

    /// `recipe` with the given overrides, checked.
    ///
    /// - Throws: `CommandFailure` (bad input) naming the option and its value when out of range.
    func applied(to recipe: TrainingRecipe) throws -> TrainingRecipe {
        var result = recipe
        result.epochs = epochs ?? result.epochs
        result.trainSubset = trainSubset ?? result.trainSubset
        result.batchSize = batchSize ?? result.batchSize
        result.learningRate = learningRate ?? result.learningRate
        try Self.check(result)
        return result
    }

    /// Refuses a recipe the trainer cannot run, naming the option that sets the value.
    static func check(_ recipe: TrainingRecipe) throws {
        if !(1...10_000).contains(recipe.epochs) {
            throw CommandFailure(status: .badInput, description: "--epochs: must be between 1 and 10000, got \(recipe.epochs)")
        }
        if !(1...65_536).contains(recipe.batchSize) {
            throw CommandFailure(status: .badInput, description: "--batch-size: must be between 1 and 65536, got \(recipe.batchSize)")
        }
        if let subset = recipe.trainSubset, !(1...50_000).contains(subset) {
            throw CommandFailure(status: .badInput, description: "--train-subset: must be between 1 and 50000, got \(subset)")
        }
        if !(recipe.learningRate > 0 && recipe.learningRate <= 100) {
            throw CommandFailure(status: .badInput, description: "--learning-rate: must be in (0, 100], got \(recipe.learningRate)")
        }
    }
}
