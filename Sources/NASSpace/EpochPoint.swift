/// One epoch of a training curve, as an evaluator reports it and the store keeps it (the `epochs`
/// table). It lives here, below both, so that evaluators never see store types.
package struct EpochPoint: Sendable, Equatable, Codable {
    /// 1-based epoch number, unique within a curve.
    package var epoch: Int
    /// Mean training loss over the epoch, when the evaluator measured it.
    package var trainLoss: Double?
    /// Training accuracy over the epoch (0...1), when measured.
    package var trainAccuracy: Double?
    /// Validation accuracy after the epoch (0...1), when measured.
    package var validationAccuracy: Double?
    /// Wall-clock seconds the epoch took, when measured.
    package var seconds: Double?

    /// A point with the given measurements; `nil` for what the evaluator did not measure.
    package init(epoch: Int, trainLoss: Double?, trainAccuracy: Double?, validationAccuracy: Double?, seconds: Double?) {
        self.epoch = epoch
        self.trainLoss = trainLoss
        self.trainAccuracy = trainAccuracy
        self.validationAccuracy = validationAccuracy
        self.seconds = seconds
    }
}
