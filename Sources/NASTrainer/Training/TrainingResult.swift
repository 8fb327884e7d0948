/// What one training run produced: accuracies, per-epoch history and speed.
package struct TrainingResult: Sendable, Hashable, Codable {
    /// Accuracy on the validation split after the last epoch, in [0, 1]: the search score.
    package var validationAccuracy: Double
    /// Accuracy on the test split, when requested.
    package var testAccuracy: Double?
    /// Wall-clock seconds of the whole run (training and evaluation).
    package var seconds: Double
    /// Training samples per second (forward + backward + update; evaluation excluded).
    package var samplesPerSecond: Double
    /// One report per epoch.
    package var epochs: [EpochReport]
    /// The OpenBLAS kernel family used (e.g. `"SkylakeX"`; `"Prescott"` means the slow fallback).
    package var blasKernel: String
    /// Training threads used (layernas's own; OpenBLAS runs single-threaded).
    package var threads: Int
    /// Trainable parameters of the network (equals `ModelShape.params`).
    package var parameters: Int
    /// Achieved GFLOP/s of training, counting `6 · madds` per sample (see `TrainingCost`).
    package var trainingGFLOPs: Double

    /// Creates a training result.
    package init(
        validationAccuracy: Double, testAccuracy: Double?, seconds: Double, samplesPerSecond: Double,
        epochs: [EpochReport], blasKernel: String, threads: Int, parameters: Int, trainingGFLOPs: Double
    ) {
        self.validationAccuracy = validationAccuracy
        self.testAccuracy = testAccuracy
        self.seconds = seconds
        self.samplesPerSecond = samplesPerSecond
        self.epochs = epochs
        self.blasKernel = blasKernel
        self.threads = threads
        self.parameters = parameters
        self.trainingGFLOPs = trainingGFLOPs
    }
}

/// Progress after one epoch.
package struct EpochReport: Sendable, Hashable, Codable {
    /// 1-based epoch number.
    package var epoch: Int
    /// Mean training cross-entropy over the epoch's batches (weighted by batch size).
    package var trainLoss: Double
    /// Fraction of training samples classified correctly during the epoch (while weights moved).
    package var trainAccuracy: Double
    /// Validation accuracy after the epoch.
    package var validationAccuracy: Double
    /// Wall-clock seconds of the epoch, including its validation pass.
    package var seconds: Double

    /// Creates the metrics for one epoch.
    package init(epoch: Int, trainLoss: Double, trainAccuracy: Double, validationAccuracy: Double, seconds: Double) {
        self.epoch = epoch
        self.trainLoss = trainLoss
        self.trainAccuracy = trainAccuracy
        self.validationAccuracy = validationAccuracy
        self.seconds = seconds
    }
}
