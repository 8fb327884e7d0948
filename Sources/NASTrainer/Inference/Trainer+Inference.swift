import NASSpace

extension Trainer {
    /// The logits of a trained network on `images`: `images.count × classes` floats, row-major.
    ///
    /// This is layernas's own inference, the reference an exported model is checked against
    /// (docs/ARCHITECTURE.md#retraining-and-onnx-export).
    ///
    /// - Throws: `TrainerError.incompatibleShape`, or `.checkpointMismatch` when `weights` do not
    ///   fit the network of `shape`.
    package func logits(shape: ModelShape, weights: [WeightTensor], images: LabeledImages) throws -> [Float] {
        var network = try network(shape: shape, weights: weights)
        var result: [Float] = []
        result.reserveCapacity(images.count * FashionMNIST.classes)
        var start = 0
        while start < images.count {
            let end = min(start + evaluationBatchSize, images.count)
            network.setInput(images, indices: ArraySlice(start..<end))
            network.forward()
            result += network.logits.withUnsafeElements { Array($0) }
            start = end
        }
        return result
    }

    /// Fraction of `images` the trained network classifies correctly (the same count `train`
    /// reports as test accuracy).
    package func accuracy(shape: ModelShape, weights: [WeightTensor], images: LabeledImages) throws -> Double {
        guard images.count > 0 else { return 0 }
        var network = try network(shape: shape, weights: weights)
        return evaluate(&network, on: images)
    }

    private func network(shape: ModelShape, weights: [WeightTensor]) throws -> Network {
        var generator = SplitMix64(seed: 0)
        var network = try Network(shape: shape, inputShape: dataset.training.shape, classes: FashionMNIST.classes,
                                  generator: &generator)
        guard weights.count == network.parameters.count,
              zip(weights, network.parameters).allSatisfy({ $0.rows == $1.rows && $0.cols == $1.cols }) else {
            throw TrainerError.checkpointMismatch("the stored weights do not fit this network")
        }
        network.parameters = weights.map(\.matrix)
        network.parallelism = threads
        return network
    }
}
