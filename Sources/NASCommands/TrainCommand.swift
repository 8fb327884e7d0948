import ArgumentParser
import Foundation
import NASSpace
import NASTrainer

/// `layernas train`: train one architecture of an mlp/cnn space and report its accuracy.
struct TrainCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "train",
        abstract: "Train one architecture on Fashion-MNIST and report its accuracy.",
        discussion: """
            Uses the space's training recipe; the options below override it. Validation accuracy \
            is measured on the last 10,000 training images; --test also measures the 10,000-image \
            test set.

            Example:
              layernas train --space examples/fashion-mlp.yaml --arch 256-256-skip-skip \\
                  --epochs 5 --test
              layernas train --space examples/fashion-cnn.yaml \\
                  --arch c32k3s1-c64k3s2-skip-c128k3s2-skip --format json
            """
    )

    @Option(help: "Search-space file (mlp, cnn or mobilenet family).")
    var space: String

    @Option(help: "Architecture key, e.g. 256-256-skip-skip.")
    var arch: String

    @OptionGroup var overrides: RecipeOptions

    @Option(parsing: .unconditional, help: "Seed of initialisation and shuffling (default: the space's recipe).")
    var seed: UInt64?

    @Flag(help: "Also measure test accuracy.")
    var test = false

    @Option(parsing: .unconditional, help: "Training threads (default: all cores).")
    var threads: Int?

    @Option(help: "Output format.")
    var format: OutputFormat = .text

    @Flag(help: "Print the BLAS kernel and per-epoch progress on stderr.")
    var verbose = false

    func run() async throws {
        let loaded = try SpecLoader.load(path: space)
        let architecture = try loaded.architecture(key: arch)
        guard let shape = loaded.modelShape(for: architecture) else {
            throw CommandFailure(status: .badInput, description: "\(space): family: the built-in trainer needs an mlp, cnn or mobilenet space, got \(loaded.family.rawValue)")
        }
        var recipe = try overrides.applied(to: loaded.training)
        recipe.seed = seed ?? recipe.seed
        if let threads, !(1...1024).contains(threads) {
            throw CommandFailure(status: .badInput, description: "--threads: must be between 1 and 1024, got \(threads)")
        }
        let threadCount = threads ?? ProcessInfo.processInfo.activeProcessorCount
        if verbose {
            Self.log("OpenBLAS kernel: \(BLASInfo.coreName) (\(KernelReport.origin)); \(threadCount) threads")
            Self.log("model: \(shape.layers.count) hidden layers, \(shape.params) parameters, \(shape.madds) MAdds")
        }
        let dataset = try DatasetLocation.load(includeTest: test)
        let trainer = Trainer(dataset: dataset, threads: threadCount)
        let verbose = self.verbose
        let result: TrainingResult
        do {
            result = try trainer.train(shape: shape, recipe: recipe, includeTest: test, onEpoch: { report in
                if verbose {
                    Self.log(String(format: "epoch %d: loss %.4f, train accuracy %.4f, validation accuracy %.4f, %.1fs",
                                    report.epoch, report.trainLoss, report.trainAccuracy, report.validationAccuracy, report.seconds))
                }
            })
        } catch let error as TrainerError {
            throw CommandFailure(status: .failure, description: error.description)
        }
        let report = TrainReport(arch: loaded.key(of: architecture), shape: shape, recipe: recipe, result: result)
        try format.print(report)
    }

    static func log(_ line: String) {
        FileHandle.standardError.write(Data((line + "\n").utf8))
    }
}

/// What `train` prints.
struct TrainReport: CommandReport {
    var arch: String
    var validationAccuracy: Double
    var testAccuracy: Double?
    /// Speed of the run: wall time, throughput and achieved GFLOP/s.
    var seconds, samplesPerSecond, gflops: Double
    var blasKernel: String
    var threads: Int
    /// The model's costs.
    var params, madds: Int
    var recipe: TrainingRecipe
    var epochs: [EpochReport]

    init(arch: String, shape: ModelShape, recipe: TrainingRecipe, result: TrainingResult) {
        self.arch = arch
        validationAccuracy = result.validationAccuracy
        testAccuracy = result.testAccuracy
        seconds = result.seconds
        samplesPerSecond = result.samplesPerSecond
        gflops = TrainingCost.gflops(shape: shape, samplesPerSecond: result.samplesPerSecond)
        blasKernel = result.blasKernel
        threads = result.threads
        params = result.parameters  // counted on the network the trainer built
        madds = shape.madds
        self.recipe = recipe
        epochs = result.epochs
    }

    var text: String {
        var lines = [
            "arch: \(arch)",
            String(format: "validation accuracy: %.4f", validationAccuracy),
        ]
        if let testAccuracy { lines.append(String(format: "test accuracy: %.4f", testAccuracy)) }
        lines.append(String(format: "time: %.2fs, %.0f samples/s, %.1f GFLOP/s", seconds, samplesPerSecond, gflops)
            + " (\(blasKernel) kernel, \(threads) threads)")
        lines.append("params: \(params), madds: \(madds)")
        return lines.joined(separator: "\n") + "\n"
    }
}
