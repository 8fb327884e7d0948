/// Reads the optional `training:` section of a spec into a `TrainingRecipe`.
enum TrainingSpec {
    static let fields = [
        "epochs", "train_subset", "batch_size", "optimizer", "learning_rate",
        "momentum", "weight_decay", "schedule", "seed",
    ]

    static func recipe(_ value: SpecValue?) throws(SpecProblem) -> TrainingRecipe {
        var recipe = TrainingRecipe()
        guard let value, value != .null else { return recipe }
        let object = try SpecObject(value, path: "training")
        try object.checkFields(allowed: fields)
        if let epochs = try object.optionalInt("epochs", in: 1...10_000) { recipe.epochs = epochs }
        if let subset = try object.optionalInt("train_subset", in: 1...50_000) { recipe.trainSubset = subset }
        if let batch = try object.optionalInt("batch_size", in: 1...65_536) { recipe.batchSize = batch }
        if object.has("optimizer") { recipe.optimizer = try object.choice("optimizer", of: TrainingRecipe.Optimizer.self) }
        if let rate = try object.optionalNumber("learning_rate", in: 1e-12...100) { recipe.learningRate = rate }
        if let momentum = try object.optionalNumber("momentum", in: 0...0.999_999) { recipe.momentum = momentum }
        if let decay = try object.optionalNumber("weight_decay", in: 0...1) { recipe.weightDecay = decay }
        if object.has("schedule") { recipe.schedule = try object.choice("schedule", of: TrainingRecipe.Schedule.self) }
        if let seed = try object.optionalInt("seed", in: 0...Int.max) { recipe.seed = UInt64(seed) }
        return recipe
    }
}
