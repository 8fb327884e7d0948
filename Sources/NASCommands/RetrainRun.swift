import Foundation
import NASSpace
import NASStore
import NASTrainer

/// One `retrain` invocation's training: claims the stored retraining, resumes it from its
/// checkpoint or starts it, commits every epoch, and finishes it with the test accuracy and the
/// weights (docs/ARCHITECTURE.md#checkpoints).
struct RetrainRun {
    let store: Store
    let key: RetrainingKey
    let shape: ModelShape
    let recipe: TrainingRecipe
    let trainer: Trainer
    let quiet: Bool

    /// The finished retraining's record (trained now, resumed, or found finished).
    func trainOrResume() throws -> RetrainingRecord {
        let record = try store.claimRetraining(key, owner: ProcessIdentity.current, isAlive: ProcessIdentity.isAlive)
        if record.status == .finished {
            log("retraining \(record.id) of \(key.arch) finished earlier; reporting the stored result")
            return record
        }
        var checkpoint: TrainingCheckpoint?
        if let bytes = try store.retrainingCheckpoint(id: record.id) {
            do {
                checkpoint = try TrainingCheckpoint(decoding: bytes)
            } catch {
                throw CommandFailure(status: .failure, description: "\(store.path): retraining \(record.id): the stored checkpoint is damaged (\(error))")
            }
        }
        let done = checkpoint?.completedEpochs ?? 0
        let split = key.validation ? "\(key.trainImages) training images, 10000 validation" : "\(key.trainImages) training images (no validation split)"
        log(done > 0
            ? "resuming retraining \(record.id) of \(key.arch) after epoch \(done) of \(recipe.epochs)"
            : "retraining \(record.id): \(key.arch), \(recipe.epochs) epochs on \(split), seed \(recipe.seed), \(key.threads) threads (\(BLASInfo.coreName) kernel)")

        var finalWeights = checkpoint?.parameters
        let result: TrainingResult
        do {
            result = try trainer.train(
                shape: shape, recipe: recipe, includeTest: true, resumingFrom: checkpoint,
                onEpoch: { report in log(progressLine(report)) },
                onCheckpoint: { state in
                    let last = state.epochs.last
                    try store.recordRetrainingEpoch(
                        id: record.id, completedEpochs: state.completedEpochs, curve: state.epochs.map(curvePoint),
                        checkpoint: state.encoded(), epochSeconds: last?.seconds ?? 0, blasKernel: BLASInfo.coreName)
                    finalWeights = state.parameters
                })
        } catch let error as TrainerError {
            // A diverged run diverges again when resumed (it is deterministic): only a new recipe helps.
            let advice: String
            if case .diverged = error { advice = "a retraining with another --learning-rate starts afresh" }
            else { advice = "the finished epochs are stored, run the same command to resume" }
            throw CommandFailure(status: .failure, description: "retraining \(record.id): \(error.description); \(advice)")
        }
        guard let testAccuracy = result.testAccuracy, let weights = finalWeights else {
            preconditionFailure("a training with includeTest ends with a test accuracy and weights")
        }
        try store.finishRetraining(id: record.id, weights: TensorCoding.encodeWeights(weights), testAccuracy: testAccuracy)
        guard let finished = try store.retrainings(searchID: key.searchID).first(where: { $0.id == record.id }) else {
            preconditionFailure("the finished retraining is stored")
        }
        return finished
    }

    /// The stored curve point of an epoch; without a validation split there is no validation accuracy.
    private func curvePoint(_ report: EpochReport) -> EpochPoint {
        EpochPoint(epoch: report.epoch, trainLoss: report.trainLoss, trainAccuracy: report.trainAccuracy,
                   validationAccuracy: key.validation ? report.validationAccuracy : nil, seconds: report.seconds)
    }

    private func progressLine(_ report: EpochReport) -> String {
        var line = String(format: "epoch %d/%d: loss %.4f, train accuracy %.4f", report.epoch, recipe.epochs,
                          report.trainLoss, report.trainAccuracy)
        if key.validation { line += String(format: ", validation accuracy %.4f", report.validationAccuracy) }
        return line + String(format: ", %.1fs", report.seconds)
    }

    private func log(_ line: String) {
        if !quiet { FileHandle.standardError.write(Data((line + "\n").utf8)) }
    }
}
