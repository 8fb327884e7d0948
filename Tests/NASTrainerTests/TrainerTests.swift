import NASSpace
import Testing
@testable import NASTrainer

/// Training runs on the real data. The test process uses OpenBLAS's default (possibly slow)
/// kernels and one thread, so the runs are kept small.
@Suite struct TrainerTests {
    static let flat = ImageShape(height: 1, width: 1, channels: 784)
    static let mnist = ImageShape(height: 28, width: 28, channels: 1)

    @Test func shortMLPTrainingBeatsChanceClearly() throws {
        // Given an MLP 784-128-10 and the first 5,000 training images
        let trainer = Trainer(dataset: try Fixtures.loadedDataset().limited(validation: 2_000), threads: 1)
        let shape = ModelShape(input: Self.flat, classes: 10, layers: [.dense(units: 128)], head: .flatten)
        var reports: [EpochReport] = []
        // When trained for one epoch
        let result = try trainer.train(shape: shape, recipe: TrainingRecipe(epochs: 1, trainSubset: 5_000), onEpoch: { reports.append($0) })
        // Then it is far above the 10% of chance
        #expect(result.validationAccuracy > 0.70)
        #expect(reports == result.epochs)
        #expect(result.epochs.count == 1 && result.epochs[0].epoch == 1)
        #expect(result.epochs[0].trainLoss.isFinite && result.epochs[0].trainLoss < 1.5)
        #expect(result.parameters == shape.params)
        #expect(result.threads == 1)
        #expect(result.blasKernel == BLASInfo.coreName)
        #expect(result.samplesPerSecond > 0 && result.trainingGFLOPs > 0 && result.testAccuracy == nil)
    }

    @Test func smallCNNTrainsAndReportsEveryEpoch() throws {
        let trainer = Trainer(dataset: try Fixtures.loadedDataset().limited(validation: 500), threads: 1)
        let shape = ModelShape(input: Self.mnist, classes: 10,
                               layers: [.conv(channels: 8, kernel: 3, stride: 2), .conv(channels: 16, kernel: 3, stride: 2)],
                               head: .globalAveragePool)
        let recipe = TrainingRecipe(epochs: 2, trainSubset: 1_000, batchSize: 25, optimizer: .adam, learningRate: 0.01)
        let result = try trainer.train(shape: shape, recipe: recipe)
        #expect(result.epochs.map(\.epoch) == [1, 2])
        #expect(result.validationAccuracy > 0.25)  // about 0.40; chance is 0.10
        #expect(result.epochs[1].trainLoss < result.epochs[0].trainLoss)
    }

    /// A small CNN, and an MLP wide enough that its GEMMs and optimizer steps are split over the
    /// threads (run by the training run's `WorkerTeam`).
    @Test(arguments: [1, 2, 3], [false, true])
    func sameSeedAndThreadsGiveBitIdenticalResults(threads: Int, wideMLP: Bool) throws {
        let trainer = Trainer(dataset: try Fixtures.loadedDataset().limited(validation: 300), threads: threads)
        let shape = wideMLP
            ? ModelShape(input: Self.mnist, classes: 10, layers: [.dense(units: 384), .dense(units: 64)], head: .flatten)
            : ModelShape(input: Self.mnist, classes: 10,
                         layers: [.conv(channels: 4, kernel: 3, stride: 2), .dense(units: 16)], head: .globalAveragePool)
        let recipe = wideMLP
            ? TrainingRecipe(epochs: 2, trainSubset: 512, batchSize: 128, seed: 7)
            : TrainingRecipe(epochs: 2, trainSubset: 300, batchSize: 32, seed: 7)
        let first = try trainer.train(shape: shape, recipe: recipe)
        let second = try trainer.train(shape: shape, recipe: recipe)
        #expect(first.epochs.map(\.trainLoss) == second.epochs.map(\.trainLoss))
        #expect(first.epochs.map(\.trainAccuracy) == second.epochs.map(\.trainAccuracy))
        #expect(first.validationAccuracy == second.validationAccuracy)
        var other = recipe
        other.seed = 8
        let third = try trainer.train(shape: shape, recipe: other)
        #expect(third.epochs.map(\.trainLoss) != first.epochs.map(\.trainLoss))
    }

    @Test func hugeLearningRateIsReportedAsDivergence() throws {
        let trainer = Trainer(dataset: try Fixtures.loadedDataset().limited(validation: 100), threads: 1)
        let shape = ModelShape(input: Self.flat, classes: 10, layers: [.dense(units: 32)], head: .flatten)
        let recipe = TrainingRecipe(epochs: 1, trainSubset: 2_000, batchSize: 32, learningRate: 1e6, schedule: .constant)
        #expect {
            try trainer.train(shape: shape, recipe: recipe)
        } throws: { error in
            guard let error = error as? TrainerError, case .diverged(let epoch, let batch, let loss) = error else { return false }
            return epoch == 1 && batch >= 1 && !loss.isFinite && error.description.contains("diverged") && !error.description.contains("\n")
        }
    }

    @Test func cancellationIsCheckedBetweenBatches() throws {
        let trainer = Trainer(dataset: try Fixtures.loadedDataset().limited(validation: 100), threads: 1)
        let shape = ModelShape(input: Self.flat, classes: 10, layers: [], head: .flatten)
        var polls = 0
        #expect(throws: TrainerError.cancelled) {
            try trainer.train(shape: shape, recipe: TrainingRecipe(trainSubset: 1_000, batchSize: 100), isCancelled: {
                polls += 1
                return polls > 3
            })
        }
        #expect(polls == 4)
    }

    @Test func invalidRecipesAndMissingTestSplitAreRejected() throws {
        let trainer = Trainer(dataset: try Fixtures.loadedDataset().limited(validation: 100), threads: 1)
        let shape = ModelShape(input: Self.flat, classes: 10, layers: [], head: .flatten)
        #expect(throws: TrainerError.self) { try trainer.train(shape: shape, recipe: TrainingRecipe(epochs: 0)) }
        #expect(throws: TrainerError.self) { try trainer.train(shape: shape, recipe: TrainingRecipe(trainSubset: 60_000)) }
        #expect(throws: TrainerError.self) { try trainer.train(shape: shape, recipe: TrainingRecipe(learningRate: .nan)) }
        #expect(throws: TrainerError.testSetNotLoaded) {
            try trainer.train(shape: shape, recipe: TrainingRecipe(trainSubset: 10), includeTest: true)
        }
    }

    @Test func testAccuracyIsReportedWhenRequested() throws {
        let full = try FashionMNIST(includeTest: true).limited(validation: 200, test: 300)
        let trainer = Trainer(dataset: full, threads: 1)
        let shape = ModelShape(input: Self.flat, classes: 10, layers: [], head: .flatten)
        let result = try trainer.train(shape: shape, recipe: TrainingRecipe(trainSubset: 2_000), includeTest: true)
        let test = try #require(result.testAccuracy)
        #expect(test > 0.5 && test <= 1)
    }

    @Test func shuffleIsAPermutationFixedBySeed() {
        var a = Array(0..<100), b = Array(0..<100)
        var g1 = SplitMix64(seed: 3), g2 = SplitMix64(seed: 3)
        Trainer.shuffle(&a, using: &g1)
        Trainer.shuffle(&b, using: &g2)
        #expect(a == b && a != Array(0..<100) && a.sorted() == Array(0..<100))
    }

    @Test func trainingCostCountsSixFlopsPerMultiplyAccumulate() {
        let shape = ModelShape(input: Self.flat, classes: 10, layers: [.dense(units: 256), .dense(units: 256)], head: .flatten)
        #expect(TrainingCost.flopsPerSample(shape) == 6 * Double(784 * 256 + 256 * 256 + 256 * 10))
        #expect(TrainingCost.gflops(shape: shape, samplesPerSecond: 1e9 / TrainingCost.flopsPerSample(shape)) == 1)
    }
}
