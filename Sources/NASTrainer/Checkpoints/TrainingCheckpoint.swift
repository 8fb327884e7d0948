import Foundation

/// Everything a training run needs to continue after its last finished epoch and end with the
/// weights an uninterrupted run ends with (docs/ARCHITECTURE.md#checkpoints):
/// the parameters, the optimizer state (momentum buffers or Adam moments, and the step count that
/// drives the learning-rate schedule and Adam's bias correction) and the epoch reports so far.
///
/// The shuffle order is not stored: it is a function of the seed and the number of epochs done,
/// so the trainer replays the shuffles on resume.
package struct TrainingCheckpoint: Sendable, Equatable {
    /// Epochs finished; the next run starts with epoch `completedEpochs + 1`.
    package var completedEpochs: Int
    /// Optimizer steps taken so far.
    package var optimizerStep: Int
    /// Weights and biases in the network's order.
    package var parameters: [WeightTensor]
    /// SGD momentum buffers or Adam first moments, one per parameter.
    package var firstMoments: [WeightTensor]
    /// Adam second moments (empty for SGD).
    package var secondMoments: [WeightTensor]
    /// One report per finished epoch.
    package var epochs: [EpochReport]

    /// Creates a checkpoint from its parts.
    package init(completedEpochs: Int, optimizerStep: Int, parameters: [WeightTensor], firstMoments: [WeightTensor],
                 secondMoments: [WeightTensor], epochs: [EpochReport]) {
        self.completedEpochs = completedEpochs
        self.optimizerStep = optimizerStep
        self.parameters = parameters
        self.firstMoments = firstMoments
        self.secondMoments = secondMoments
        self.epochs = epochs
    }

    static let magic = Array("LNASCKP1".utf8)

    /// The checkpoint as bytes: magic `LNASCKP1`, epochs done and optimizer step (UInt64), the
    /// three tensor lists (`TensorCoding`), then the epoch reports as JSON (length-prefixed).
    /// Floats keep their exact bits, so a resumed run continues bit for bit.
    package func encoded() -> [UInt8] {
        var bytes = Self.magic
        TensorCoding.append(UInt64(completedEpochs), to: &bytes)
        TensorCoding.append(UInt64(optimizerStep), to: &bytes)
        TensorCoding.append(parameters, to: &bytes)
        TensorCoding.append(firstMoments, to: &bytes)
        TensorCoding.append(secondMoments, to: &bytes)
        let reports = (try? JSONEncoder().encode(epochs)) ?? Data("[]".utf8)
        TensorCoding.append(UInt64(reports.count), to: &bytes)
        bytes += reports
        return bytes
    }

    /// Reads what `encoded()` wrote.
    ///
    /// - Throws: `TensorCoding.Failure` naming what is wrong with the bytes.
    package init(decoding bytes: [UInt8]) throws(TensorCoding.Failure) {
        var reader = TensorCoding.Reader(bytes: bytes)
        try reader.expect(magic: Self.magic, what: "checkpoint")
        completedEpochs = Int(try reader.word())
        optimizerStep = Int(try reader.word())
        parameters = try reader.tensors()
        firstMoments = try reader.tensors()
        secondMoments = try reader.tensors()
        let length = Int(try reader.word())
        let json = try reader.take(length)
        guard let reports = try? JSONDecoder().decode([EpochReport].self, from: Data(json)) else {
            throw TensorCoding.Failure(reason: "checkpoint epoch reports are not valid JSON")
        }
        epochs = reports
        try reader.expectEnd()
    }
}
