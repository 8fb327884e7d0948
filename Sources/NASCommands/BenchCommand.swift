import ArgumentParser
import Foundation
import NASSpace
import NASTrainer

/// `layernas bench`: measurements kept in `make bench`, as ratios against references measured in
/// the same run. Speed is never asserted in tests.
struct BenchCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "bench",
        abstract: "Measure this machine: sgemm rate and trainer throughput.",
        discussion: """
            Prints the OpenBLAS kernel in use and who chose it, this machine's sgemm GFLOP/s, and \
            the training throughput (samples/s, achieved GFLOP/s, fraction of the sgemm rate) of \
            reference networks, all measured in the same run.

            Example:
              layernas bench --threads 2 --output bench/results/trainer.json
            """
    )

    @Option(parsing: .unconditional, help: "Threads for sgemm and training (default: all cores).")
    var threads: Int?

    @Option(name: .customLong("train-subset"), parsing: .unconditional, help: "Training images per measured epoch.")
    var trainSubset: Int = 20_000

    @Option(help: "Also write the figures as JSON to this file.")
    var output: String?

    struct Figure: Encodable {
        var name: String
        var batchSize: Int
        /// Throughput, achieved GFLOP/s and its fraction of sgemm's, and the check that it trains.
        var samplesPerSecond, gflops, fractionOfSgemm, validationAccuracy: Double
    }

    struct Results: Encodable {
        var blasKernel: String
        var kernelOrigin: String
        /// The core type layernas sets when the user sets none (`nil`: OpenBLAS's own detection).
        var layernasChoice: String?
        var threads: Int
        var sgemmGflops: Double
        var trainer: [Figure]
    }

    /// The reference networks of the benchmark issues: two MLPs, a two-layer CNN with max
    /// pooling (28×28×1 → 14×14×16 → 7×7×32, flattened to 1,568 features) and a three-layer CNN
    /// with stride-2 convolutions and global average pooling (28 → 14 → 7 → 4, 128 channels), and
    /// an in-window network of `examples/fashion-mobilenet.yaml` (stem, five inverted residual
    /// blocks, 3.28M MAdds; bench/peers.py builds the same in PyTorch).
    static let networks: [(name: String, shape: ModelShape, batch: Int)] = {
        let image = FashionMNIST.imageShape
        return [
            ("mlp 784-256-256-10", ModelShape(input: image, classes: 10, layers: [.dense(units: 256), .dense(units: 256)], head: .flatten), 128),
            ("mlp 784-1024-1024-10", ModelShape(input: image, classes: 10, layers: [.dense(units: 1024), .dense(units: 1024)], head: .flatten), 256),
            ("cnn c16k3p2-c32k3p2-1568-10", ModelShape(
                input: image, classes: 10,
                layers: [.conv(channels: 16, kernel: 3, stride: 1), .maxPool(size: 2), .conv(channels: 32, kernel: 3, stride: 1), .maxPool(size: 2)],
                head: .flatten), 128),
            // The kind of CNN a search produces: strided convolutions and a pooled head.
            ("cnn c32k3s2-c64k3s2-c128k3s2-gap", ModelShape(
                input: image, classes: 10,
                layers: [.conv(channels: 32, kernel: 3, stride: 2), .conv(channels: 64, kernel: 3, stride: 2), .conv(channels: 128, kernel: 3, stride: 2)],
                head: .globalAveragePool), 128),
            ("mobilenet c16k3e6s1-..-c96k3e6s1", ModelShape(
                input: image, classes: 10,
                layers: [
                    .conv(channels: 16, kernel: 3, stride: 2),
                    .invertedResidual(channels: 16, kernel: 3, expansion: 6, stride: 1),
                    .invertedResidual(channels: 24, kernel: 3, expansion: 6, stride: 2),
                    .invertedResidual(channels: 32, kernel: 3, expansion: 6, stride: 1),
                    .invertedResidual(channels: 64, kernel: 3, expansion: 6, stride: 2),
                    .invertedResidual(channels: 96, kernel: 3, expansion: 6, stride: 1),
                ],
                head: .globalAveragePool), 128),
        ]
    }()

    func run() async throws {
        let threadCount = threads ?? ProcessInfo.processInfo.activeProcessorCount
        guard (1...1024).contains(threadCount) else {
            throw CommandFailure(status: .badInput, description: "--threads: must be between 1 and 1024, got \(threadCount)")
        }
        guard (1_000...50_000).contains(trainSubset) else {
            throw CommandFailure(status: .badInput, description: "--train-subset: must be between 1000 and 50000, got \(trainSubset)")
        }
        let dataset = try DatasetLocation.load()
        let cpuinfo = (try? String(contentsOfFile: "/proc/cpuinfo", encoding: .utf8)) ?? ""
        let choice = OpenBLASCoreType.coreType(forCPUFlags: OpenBLASCoreType.cpuFlags(cpuinfo: cpuinfo))
        print("OpenBLAS kernel: \(BLASInfo.coreName) (\(KernelReport.origin)); layernas's own choice on this CPU: "
              + (choice.map { "\(OpenBLASCoreType.environmentVariable)=\($0)" } ?? "none, OpenBLAS's detection"))
        let trainer = Trainer(dataset: dataset, threads: threadCount)
        // One short untimed training first, so that the first measured network does not pay for
        // faulting in the data (the peers in bench/ warm up too).
        var warmUp = TrainingRecipe(epochs: 1, trainSubset: 1_000, batchSize: Self.networks[0].batch)
        warmUp.seed = 1
        _ = try trainer.train(shape: Self.networks[0].shape, recipe: warmUp)
        var results: [(network: (name: String, shape: ModelShape, batch: Int), result: TrainingResult)] = []
        for network in Self.networks {
            var recipe = TrainingRecipe(epochs: 1, trainSubset: trainSubset, batchSize: network.batch)
            recipe.seed = 1
            results.append((network, try trainer.train(shape: network.shape, recipe: recipe)))
        }
        // The sgemm probe runs last: it uses OpenBLAS's own threads, which spin on `sched_yield`
        // for a while after each call and, run first, had taken a core from the first network
        // measured (the small MLP at 45k–71k samples/s instead of 110k–127k in some runs).
        let sgemm = SgemmProbe.gflops(n: 2048, threads: threadCount)
        print(String(format: "sgemm n=2048, %d threads: %.1f GFLOP/s (measured after the trainings)", threadCount, sgemm))
        print("trainer, 1 epoch on \(trainSubset) images, \(threadCount) threads (OpenBLAS single-threaded, layernas splitting the work):")
        var figures: [Figure] = []
        for (network, result) in results {
            let gflops = TrainingCost.gflops(shape: network.shape, samplesPerSecond: result.samplesPerSecond)
            let figure = Figure(name: network.name, batchSize: network.batch, samplesPerSecond: result.samplesPerSecond,
                                gflops: gflops, fractionOfSgemm: gflops / sgemm, validationAccuracy: result.validationAccuracy)
            figures.append(figure)
            let name = network.name.padding(toLength: 32, withPad: " ", startingAt: 0)
            print("  \(name)" + String(format: " batch %4d: %8.0f samples/s  %6.1f GFLOP/s  = %.2f of sgemm",
                                       network.batch, figure.samplesPerSecond, figure.gflops, figure.fractionOfSgemm))
        }
        if let output {
            let results = Results(blasKernel: BLASInfo.coreName, kernelOrigin: KernelReport.origin, layernasChoice: choice, threads: threadCount,
                                  sgemmGflops: sgemm, trainer: figures)
            try SearchCommand.ensureParentDirectory(of: output)
            try JSONOutput.encoder().encode(results).write(to: URL(fileURLWithPath: output))
            print("figures written to \(output)")
        }
    }
}
