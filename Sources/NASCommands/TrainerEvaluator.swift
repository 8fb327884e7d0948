import NASSearch
import NASSpace
import NASTrainer

/// The built-in trainer as a search evaluator: trains the candidate's network on Fashion-MNIST
/// with the space's recipe and scores it by validation accuracy.
///
/// It lives here, in the command layer, because the search module never imports the trainer
/// (docs/ARCHITECTURE.md#why-it-points-that-way).
struct TrainerEvaluator: Evaluator {
    let trainer: Trainer

    var description: String { EvaluatorSpec.trainer.description }

    func evaluate(_ request: EvaluationRequest) throws(EvaluationError) -> EvaluationResult {
        guard let shape = request.space.modelShape(for: request.architecture) else {
            throw .failed("the built-in trainer needs an mlp, cnn or mobilenet space, not \(request.space.family.rawValue)")
        }
        let recipe = request.space.training
        let result: TrainingResult
        do {
            result = try trainer.train(shape: shape, recipe: recipe, isCancelled: request.isCancelled)
        } catch TrainerError.cancelled {
            throw .cancelled
        } catch {
            throw .failed(String(describing: error))
        }
        var metrics: [String: Double] = [
            "seconds": result.seconds,
            "samples_per_second": result.samplesPerSecond,
            "threads": Double(result.threads),
        ]
        if let last = result.epochs.last {
            metrics["train_loss"] = last.trainLoss
            metrics["train_accuracy"] = last.trainAccuracy
        }
        return EvaluationResult(
            score: result.validationAccuracy, metrics: metrics, recipe: recipe,
            curve: result.epochs.map {
                EpochPoint(epoch: $0.epoch, trainLoss: $0.trainLoss, trainAccuracy: $0.trainAccuracy,
                           validationAccuracy: $0.validationAccuracy, seconds: $0.seconds)
            })
    }
}
