import NASSpace

extension Trainer {
    /// Puts a checkpoint's parameters and optimizer state into a freshly built network and
    /// optimizer, after checking that it was saved by a run of the same network and recipe length.
    static func restore(_ checkpoint: TrainingCheckpoint, into network: inout Network, optimizer: inout Optimizer,
                        recipe: TrainingRecipe) throws {
        func sameShapes(_ tensors: [WeightTensor]) -> Bool {
            tensors.count == network.parameters.count
                && zip(tensors, network.parameters).allSatisfy { $0.rows == $1.rows && $0.cols == $1.cols }
        }
        guard sameShapes(checkpoint.parameters), sameShapes(checkpoint.firstMoments) else {
            throw TrainerError.checkpointMismatch("its tensors do not fit this network")
        }
        guard recipe.optimizer == .adam ? sameShapes(checkpoint.secondMoments) : checkpoint.secondMoments.isEmpty else {
            throw TrainerError.checkpointMismatch("its optimizer state is not \(recipe.optimizer.rawValue)'s")
        }
        guard (0...recipe.epochs).contains(checkpoint.completedEpochs), checkpoint.epochs.count == checkpoint.completedEpochs,
              checkpoint.optimizerStep >= 0 else {
            throw TrainerError.checkpointMismatch("it records \(checkpoint.completedEpochs) of \(recipe.epochs) epochs")
        }
        network.parameters = checkpoint.parameters.map(\.matrix)
        optimizer = Optimizer(recipe: recipe, firstMoments: checkpoint.firstMoments.map(\.matrix),
                              secondMoments: checkpoint.secondMoments.map(\.matrix), step: checkpoint.optimizerStep)
    }
}
