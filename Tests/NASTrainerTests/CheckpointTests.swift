import NASSpace
import Testing
@testable import NASTrainer

/// docs/ARCHITECTURE.md#checkpoints: a training resumed from any epoch's checkpoint ends with the
/// weights, optimizer state and accuracy an uninterrupted run ends with, bit for bit; and the
/// stored bytes decode to exactly what was encoded.
@Suite struct CheckpointTests {
    static let mnist = ImageShape(height: 28, width: 28, channels: 1)

    /// Trains `epochs` epochs, returning every epoch's checkpoint and the result.
    static func run(_ trainer: Trainer, shape: ModelShape, recipe: TrainingRecipe,
                    from checkpoint: TrainingCheckpoint? = nil) throws -> ([TrainingCheckpoint], TrainingResult) {
        var saved: [TrainingCheckpoint] = []
        let result = try trainer.train(shape: shape, recipe: recipe, resumingFrom: checkpoint, onCheckpoint: { saved.append($0) })
        return (saved, result)
    }

    @Test(arguments: [TrainingRecipe.Optimizer.sgd, .adam])
    func resumingFromEveryEpochGivesTheUninterruptedWeights(optimizer: TrainingRecipe.Optimizer) throws {
        // Given a small CNN with pooling and an uninterrupted 3-epoch run
        let trainer = Trainer(dataset: try Fixtures.loadedDataset().limited(validation: 300), threads: 1)
        let shape = ModelShape(input: Self.mnist, classes: 10, layers: [.conv(channels: 4, kernel: 3, stride: 2), .maxPool(size: 2)],
                               head: .flatten)
        let recipe = TrainingRecipe(epochs: 3, trainSubset: 600, batchSize: 64, optimizer: optimizer,
                                    learningRate: optimizer == .adam ? 0.002 : 0.05, schedule: .cosine, seed: 5)
        let (reference, referenceResult) = try Self.run(trainer, shape: shape, recipe: recipe)
        #expect(reference.map(\.completedEpochs) == [1, 2, 3])
        #expect(reference[0].secondMoments.isEmpty == (optimizer == .sgd))
        for stop in 0..<3 {
            // When the run is resumed from the checkpoint of epoch `stop` (0: one saved at the end)
            let restored = try TrainingCheckpoint(decoding: reference[stop].encoded())
            let (resumed, result) = try Self.run(trainer, shape: shape, recipe: recipe, from: restored)
            // Then every later checkpoint, the final weights and the accuracy are identical
            let last = resumed.last ?? restored
            #expect(last.parameters == reference[2].parameters, "resumed after epoch \(stop + 1)")
            #expect(last.firstMoments == reference[2].firstMoments)
            #expect(last.secondMoments == reference[2].secondMoments)
            #expect(last.optimizerStep == reference[2].optimizerStep)
            #expect(result.validationAccuracy == referenceResult.validationAccuracy)
            #expect(result.epochs.map(\.trainLoss) == referenceResult.epochs.map(\.trainLoss))
        }
    }

    @Test func aMobileNetCheckpointHoldsEveryBlockParameterAndResumesBitForBit() throws {
        // Given a small mobilenet: stem, a residual block with expansion, a strided block without
        let trainer = Trainer(dataset: try Fixtures.loadedDataset().limited(validation: 300), threads: 1)
        let shape = ModelShape(input: Self.mnist, classes: 10, layers: [
            .conv(channels: 4, kernel: 3, stride: 2),
            .invertedResidual(channels: 4, kernel: 3, expansion: 2, stride: 1),
            .invertedResidual(channels: 6, kernel: 5, expansion: 1, stride: 2),
        ], head: .globalAveragePool)
        let recipe = TrainingRecipe(epochs: 2, trainSubset: 300, batchSize: 64, optimizer: .adam, learningRate: 0.003,
                                    schedule: .cosine, seed: 6)
        let (reference, referenceResult) = try Self.run(trainer, shape: shape, recipe: recipe)
        // stem W, b; block 1 expand W, b, depthwise W, b, project W, b; block 2 depthwise W, b,
        // project W, b; head W, b: every one is saved, with its moments.
        #expect(reference[0].parameters.count == 14 && reference[0].secondMoments.count == 14)
        #expect(reference[0].parameters.reduce(0) { $0 + $1.values.count } == shape.params)
        // When resumed after epoch 1, then the end is the uninterrupted run's
        let (resumed, result) = try Self.run(trainer, shape: shape, recipe: recipe,
                                             from: try TrainingCheckpoint(decoding: reference[0].encoded()))
        #expect(resumed.last?.parameters == reference[1].parameters)
        #expect(resumed.last?.secondMoments == reference[1].secondMoments)
        #expect(result.validationAccuracy == referenceResult.validationAccuracy)
    }

    @Test func encodedCheckpointsAndWeightsDecodeBitForBit() throws {
        let tensors = [WeightTensor(rows: 2, cols: 3, values: [0, -0.0, .infinity, .leastNonzeroMagnitude, -3.5, .greatestFiniteMagnitude]),
                       WeightTensor(rows: 1, cols: 1, values: [42])]
        let checkpoint = TrainingCheckpoint(completedEpochs: 2, optimizerStep: 17, parameters: tensors, firstMoments: tensors,
                                            secondMoments: [], epochs: [EpochReport(epoch: 1, trainLoss: 0.5, trainAccuracy: 0.8,
                                                                                    validationAccuracy: 0.7, seconds: 1.25)])
        let decoded = try TrainingCheckpoint(decoding: checkpoint.encoded())
        #expect(decoded == checkpoint)
        #expect(decoded.parameters[0].values.map(\.bitPattern) == tensors[0].values.map(\.bitPattern))
        #expect(try TensorCoding.decodeWeights(TensorCoding.encodeWeights(tensors)) == tensors)
        // Truncated or foreign bytes are refused with a reason, never read as weights.
        let bytes = TensorCoding.encodeWeights(tensors)
        #expect(throws: TensorCoding.Failure.self) { try TensorCoding.decodeWeights(Array(bytes.dropLast(3))) }
        #expect(throws: TensorCoding.Failure.self) { try TensorCoding.decodeWeights(Array("not weights".utf8)) }
        #expect(throws: TensorCoding.Failure.self) { try TrainingCheckpoint(decoding: bytes) }
    }

    @Test func aCheckpointOfAnotherNetworkIsRefused() throws {
        let trainer = Trainer(dataset: try Fixtures.loadedDataset().limited(validation: 100), threads: 1)
        let small = ModelShape(input: Self.mnist, classes: 10, layers: [.dense(units: 8)], head: .flatten)
        let other = ModelShape(input: Self.mnist, classes: 10, layers: [.dense(units: 9)], head: .flatten)
        let recipe = TrainingRecipe(epochs: 2, trainSubset: 200, seed: 1)
        let (saved, _) = try Self.run(trainer, shape: small, recipe: recipe)
        #expect(throws: TrainerError.self) { _ = try trainer.train(shape: other, recipe: recipe, resumingFrom: saved[0]) }
    }
}
