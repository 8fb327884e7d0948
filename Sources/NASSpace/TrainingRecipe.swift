/// How a candidate is trained for its proxy score: the `training:` section of a spec.
///
/// The recipe is stored with every score, so a score can always be traced to how it was made.
/// Defaults are chosen so that a 784-256-256-10 MLP reaches about 80% validation accuracy on
/// Fashion-MNIST after one epoch.
package struct TrainingRecipe: Sendable, Hashable, Codable {
    /// Optimizer used for training.
    package enum Optimizer: String, Sendable, Codable, CaseIterable {
        /// Mini-batch SGD with (heavy-ball) momentum and L2 weight decay.
        case sgd
        /// Adam (Kingma & Ba) with L2 weight decay added to the gradient.
        case adam
    }

    /// Learning-rate schedule used for training.
    package enum Schedule: String, Sendable, Codable, CaseIterable {
        /// Constant learning rate.
        case constant
        /// Cosine decay from `learningRate` to 0 over all steps of the run.
        case cosine
        /// Multiply by 0.1 at 50% and 75% of the steps.
        case step
    }

    /// Passes over the training subset.
    package var epochs: Int
    /// Number of training images used (taken from the start of the 50,000-image training split);
    /// `nil` means all of them.
    package var trainSubset: Int?
    /// Examples per training batch.
    package var batchSize: Int
    /// Optimizer used for training.
    package var optimizer: Optimizer
    /// Initial learning rate.
    package var learningRate: Double
    /// Momentum for SGD (ignored by Adam).
    package var momentum: Double
    /// L2 weight decay.
    package var weightDecay: Double
    /// Learning-rate schedule.
    package var schedule: Schedule
    /// Seed of weight initialisation and shuffling.
    package var seed: UInt64

    /// Creates a training recipe.
    package init(
        epochs: Int = 1,
        trainSubset: Int? = nil,
        batchSize: Int = 128,
        optimizer: Optimizer = .sgd,
        learningRate: Double = 0.05,
        momentum: Double = 0.9,
        weightDecay: Double = 5e-4,
        schedule: Schedule = .cosine,
        seed: UInt64 = 1
    ) {
        self.epochs = epochs
        self.trainSubset = trainSubset
        self.batchSize = batchSize
        self.optimizer = optimizer
        self.learningRate = learningRate
        self.momentum = momentum
        self.weightDecay = weightDecay
        self.schedule = schedule
        self.seed = seed
    }
}
