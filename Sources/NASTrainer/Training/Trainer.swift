import Foundation
import NASSpace

/// Trains candidate networks on Fashion-MNIST and scores them on the validation split.
///
/// One `Trainer` holds the loaded dataset and the thread count; `train` is synchronous,
/// CPU-bound and reproducible: the same shape, recipe (seed included) and thread count give a
/// bit-identical result.
///
/// The threads are layernas's own: OpenBLAS runs single-threaded and the network splits each
/// layer's work over `threads` (convolutions by batch chunks, dense GEMMs by blocks of the output,
/// element-wise passes by rows; `Kernel.convolutionForward`, `Matrix.parallelGemm`), run by one
/// `WorkerTeam` per training run. OpenBLAS
/// 0.3.21's own threads gain little on the thin GEMMs of small convolutions and spin on
/// `sched_yield` for about 0.1 s after each call, taking a core from the passes in between.
///
/// ```swift
/// OpenBLASCoreType.ensureFastKernels()          // first thing in main
/// let trainer = Trainer(dataset: try FashionMNIST(), threads: 2)
/// let result = try trainer.train(shape: shape, recipe: TrainingRecipe(epochs: 1))
/// print(result.validationAccuracy, result.samplesPerSecond)
/// ```
package struct Trainer: Sendable {
    /// The data trained and scored on.
    package let dataset: FashionMNIST
    /// Threads per training run (the network's; OpenBLAS itself runs single-threaded).
    package let threads: Int
    /// Images per forward pass when evaluating (does not affect results).
    package var evaluationBatchSize = 500

    /// A trainer over `dataset` using `threads` threads (default: all cores).
    ///
    /// Sets OpenBLAS's process-wide thread count to 1, so jobs training concurrently in one
    /// process (jobs × threads ≤ cores) no longer depend on one another's settings.
    package init(dataset: FashionMNIST, threads: Int = ProcessInfo.processInfo.activeProcessorCount) {
        precondition(threads >= 1, "need at least one thread, got \(threads)")
        self.dataset = dataset
        self.threads = threads
        BLASInfo.setThreads(1)
    }

    /// Trains a freshly initialised network of `shape` with `recipe` and measures its accuracy.
    ///
    /// Each epoch visits the training images (the first `recipe.trainSubset` of them, if set) in
    /// an order shuffled from `recipe.seed`, in mini-batches of `recipe.batchSize` (the last one
    /// may be smaller), minimising mean softmax cross-entropy; the learning rate follows
    /// `recipe.schedule` per step. Validation accuracy is measured after every epoch.
    ///
    /// - Parameters:
    ///   - includeTest: also measure accuracy on the test split (the dataset must have it).
    ///   - onEpoch: called after each epoch, on the calling thread.
    ///   - isCancelled: polled between batches.
    ///   - checkpoint: continue the run this checkpoint saved (same shape, recipe and threads)
    ///     instead of starting afresh; the result is bit-identical to an uninterrupted run
    ///     (docs/ARCHITECTURE.md#checkpoints).
    ///   - onCheckpoint: when given, called after each epoch (after `onEpoch`) with the state to
    ///     resume from; an error it throws ends the training.
    /// - Throws: `TrainerError.incompatibleShape`, `.invalidRecipe`, `.testSetNotLoaded`,
    ///   `.diverged` (NaN/∞ loss), `.cancelled`, `.checkpointMismatch`, or what `onCheckpoint` throws.
    /// - Complexity: about `6 · shape.madds` floating-point operations per training sample.
    package func train(
        shape: ModelShape,
        recipe: TrainingRecipe,
        includeTest: Bool = false,
        resumingFrom checkpoint: TrainingCheckpoint? = nil,
        onEpoch: (EpochReport) -> Void = { _ in },
        onCheckpoint: ((TrainingCheckpoint) throws -> Void)? = nil,
        isCancelled: () -> Bool = { false }
    ) throws -> TrainingResult {
        try WorkerTeam.withTeam(threads: threads) {
            try trainOnTeam(shape: shape, recipe: recipe, includeTest: includeTest, resumingFrom: checkpoint,
                            onEpoch: onEpoch, onCheckpoint: onCheckpoint, isCancelled: isCancelled)
        }
    }

    /// `train`, on the calling thread and the team `WorkerTeam.current`.
    private func trainOnTeam(
        shape: ModelShape,
        recipe: TrainingRecipe,
        includeTest: Bool,
        resumingFrom checkpoint: TrainingCheckpoint?,
        onEpoch: (EpochReport) -> Void,
        onCheckpoint: ((TrainingCheckpoint) throws -> Void)?,
        isCancelled: () -> Bool
    ) throws -> TrainingResult {
        let clock = ContinuousClock()
        let start = clock.now
        try Self.validate(recipe, trainingImages: dataset.training.count)
        let test: LabeledImages?
        if includeTest {
            guard let set = dataset.test else { throw TrainerError.testSetNotLoaded }
            test = set
        } else {
            test = nil
        }
        // Single-threaded OpenBLAS under our own split (again: an sgemm probe may have changed it).
        BLASInfo.setThreads(1)

        var initGenerator = SplitMix64.stream(seed: recipe.seed, purpose: 1)
        var shuffleGenerator = SplitMix64.stream(seed: recipe.seed, purpose: 2)
        var network = try Network(shape: shape, inputShape: dataset.training.shape, classes: FashionMNIST.classes,
                                  generator: &initGenerator)
        network.parallelism = threads
        var optimizer = Optimizer(recipe: recipe, parameters: network.parameters)

        let training = recipe.trainSubset.map { dataset.training.prefix($0) } ?? dataset.training
        let batchesPerEpoch = (training.count + recipe.batchSize - 1) / recipe.batchSize
        let totalSteps = batchesPerEpoch * recipe.epochs
        var order = Array(0..<training.count)
        var logitGradient = Matrix(rows: 0, cols: 0)
        var reports: [EpochReport] = []
        var trainingTime = Duration.zero
        var step = 0
        if let checkpoint {
            try Self.restore(checkpoint, into: &network, optimizer: &optimizer, recipe: recipe)
            // The order of epoch e is the result of e shuffles from the seed: replay the ones done.
            for _ in 0..<checkpoint.completedEpochs { Self.shuffle(&order, using: &shuffleGenerator) }
            step = checkpoint.optimizerStep
            reports = checkpoint.epochs
        }
        let firstEpoch = (checkpoint?.completedEpochs ?? 0) + 1

        for epoch in stride(from: firstEpoch, through: recipe.epochs, by: 1) {
            let epochStart = clock.now
            Self.shuffle(&order, using: &shuffleGenerator)
            var lossSum = 0.0
            var correct = 0
            for batch in 0..<batchesPerEpoch {
                if isCancelled() { throw TrainerError.cancelled }
                let indices = order[(batch * recipe.batchSize)..<min((batch + 1) * recipe.batchSize, training.count)]
                network.setInput(training, indices: indices)
                network.forward()
                let labels = ArraySlice(indices.map { training.labels[$0] })
                let (loss, hits) = Kernel.softmaxCrossEntropy(logits: network.logits, labels: labels, gradient: &logitGradient)
                guard loss.isFinite else { throw TrainerError.diverged(epoch: epoch, batch: batch + 1, loss: loss) }
                network.backward(logitGradient: logitGradient)
                let rate = recipe.schedule.learningRate(base: recipe.learningRate, step: step, totalSteps: totalSteps)
                optimizer.update(parameters: &network.parameters, gradients: network.gradients, decays: network.decays,
                                 learningRate: rate, parallelism: threads)
                step += 1
                lossSum += loss * Double(indices.count)
                correct += hits
            }
            trainingTime += clock.now - epochStart
            let validationAccuracy = evaluate(&network, on: dataset.validation)
            let report = EpochReport(
                epoch: epoch,
                trainLoss: lossSum / Double(training.count),
                trainAccuracy: Double(correct) / Double(training.count),
                validationAccuracy: validationAccuracy,
                seconds: (clock.now - epochStart).seconds
            )
            reports.append(report)
            onEpoch(report)
            if let onCheckpoint {
                try onCheckpoint(TrainingCheckpoint(
                    completedEpochs: epoch, optimizerStep: optimizer.step, parameters: network.parameters.map(WeightTensor.init),
                    firstMoments: optimizer.firstMoments.map(WeightTensor.init),
                    secondMoments: optimizer.secondMoments.map(WeightTensor.init), epochs: reports))
            }
        }

        let testAccuracy = test.map { evaluate(&network, on: $0) }
        let samplesPerSecond = Double(training.count * recipe.epochs) / max(trainingTime.seconds, 1e-9)
        return TrainingResult(
            validationAccuracy: reports.last?.validationAccuracy ?? 0,
            testAccuracy: testAccuracy,
            seconds: (clock.now - start).seconds,
            samplesPerSecond: samplesPerSecond,
            epochs: reports,
            blasKernel: BLASInfo.coreName,
            threads: threads,
            parameters: network.parameterCount,
            trainingGFLOPs: TrainingCost.gflops(shape: shape, samplesPerSecond: samplesPerSecond)
        )
    }

    /// Number of trainable parameters of the network the trainer builds for `shape`.
    ///
    /// - Throws: `TrainerError.incompatibleShape` as `train` would.
    package func parameterCount(of shape: ModelShape) throws -> Int {
        var generator = SplitMix64(seed: 0)
        return try Network(shape: shape, inputShape: dataset.training.shape, classes: FashionMNIST.classes,
                           generator: &generator).parameterCount
    }

    /// Fraction of `images` the network classifies correctly.
    func evaluate(_ network: inout Network, on images: LabeledImages) -> Double {
        guard images.count > 0 else { return 0 }
        var correct = 0
        var start = 0
        while start < images.count {
            let end = min(start + evaluationBatchSize, images.count)
            network.setInput(images, indices: ArraySlice(start..<end))
            network.forward()
            correct += Kernel.correctPredictions(logits: network.logits, labels: images.labels[start..<end])
            start = end
        }
        return Double(correct) / Double(images.count)
    }

    /// Fisher–Yates shuffle (written out so the order never depends on the standard library's
    /// algorithm).
    static func shuffle(_ values: inout [Int], using generator: inout SplitMix64) {
        guard values.count > 1 else { return }
        for i in stride(from: values.count - 1, to: 0, by: -1) {
            let j = Int(generator.next() % UInt64(i + 1))
            values.swapAt(i, j)
        }
    }

    static func validate(_ recipe: TrainingRecipe, trainingImages: Int) throws {
        guard recipe.epochs >= 1 else {
            throw TrainerError.invalidRecipe(field: "epochs", value: "\(recipe.epochs)", reason: "must be at least 1")
        }
        guard recipe.batchSize >= 1 else {
            throw TrainerError.invalidRecipe(field: "batchSize", value: "\(recipe.batchSize)", reason: "must be at least 1")
        }
        guard recipe.learningRate.isFinite, recipe.learningRate > 0 else {
            throw TrainerError.invalidRecipe(field: "learningRate", value: "\(recipe.learningRate)", reason: "must be a positive number")
        }
        guard recipe.momentum.isFinite, recipe.momentum >= 0, recipe.momentum < 1 else {
            throw TrainerError.invalidRecipe(field: "momentum", value: "\(recipe.momentum)", reason: "must be in [0, 1)")
        }
        guard recipe.weightDecay.isFinite, recipe.weightDecay >= 0 else {
            throw TrainerError.invalidRecipe(field: "weightDecay", value: "\(recipe.weightDecay)", reason: "must be non-negative")
        }
        if let subset = recipe.trainSubset {
            guard subset >= 1, subset <= trainingImages else {
                throw TrainerError.invalidRecipe(field: "trainSubset", value: "\(subset)", reason: "must be in 1...\(trainingImages)")
            }
        }
        guard trainingImages > 0 else {
            throw TrainerError.invalidRecipe(field: "trainSubset", value: "\(recipe.trainSubset.map(String.init) ?? "nil")", reason: "no training images")
        }
    }
}
