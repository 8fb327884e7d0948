/// Errors of the trainer: dataset files, incompatible shapes or recipes, divergence and
/// cancellation. Each description is one line.
package enum TrainerError: Error, CustomStringConvertible, Sendable, Equatable {
    /// A Fashion-MNIST file is missing or unreadable.
    case datasetMissing(path: String)
    /// A Fashion-MNIST file exists but is not the expected IDX data.
    case datasetCorrupt(path: String, reason: String)
    /// The model shape cannot be trained on this dataset (wrong input size, class count, or a
    /// conv layer on flat features).
    case incompatibleShape(String)
    /// A recipe field is out of range.
    case invalidRecipe(field: String, value: String, reason: String)
    /// `includeTest` was requested but the dataset was loaded without its test split.
    case testSetNotLoaded
    /// The training loss became NaN or infinite.
    case diverged(epoch: Int, batch: Int, loss: Double)
    /// `isCancelled` returned true between two batches.
    case cancelled
    /// A checkpoint to resume from does not belong to this network or recipe.
    case checkpointMismatch(String)

    static let packageHint = "install the Debian package dataset-fashion-mnist (apt-get install dataset-fashion-mnist)"

    /// Human-readable message for the error.
    package var description: String {
        switch self {
        case .datasetMissing(let path):
            return "cannot read Fashion-MNIST file \(path); \(Self.packageHint)"
        case .datasetCorrupt(let path, let reason):
            return "Fashion-MNIST file \(path) is corrupt (\(reason)); reinstall: \(Self.packageHint)"
        case .incompatibleShape(let reason):
            return "model shape cannot be trained on Fashion-MNIST: \(reason)"
        case .invalidRecipe(let field, let value, let reason):
            return "training recipe field \(field) = \(value) is invalid: \(reason)"
        case .testSetNotLoaded:
            return "test accuracy requested but the Fashion-MNIST test split was not loaded (load with includeTest: true)"
        case .diverged(let epoch, let batch, let loss):
            return "training diverged: loss became \(loss) at epoch \(epoch), batch \(batch); lower the learning rate"
        case .cancelled:
            return "training was cancelled"
        case .checkpointMismatch(let reason):
            return "the stored checkpoint cannot continue this training: \(reason)"
        }
    }
}
