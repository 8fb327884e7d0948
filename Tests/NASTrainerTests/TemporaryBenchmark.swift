// TEMPORARY — hand benchmark, removed before handing over.
import Foundation
import NASSpace
import Testing
import NASTrainer

@Suite struct TemporaryBenchmark {
    static var enabled: Bool { ProcessInfo.processInfo.environment["LAYERNAS_BENCH"] != nil }
    static let flat = ImageShape(height: 1, width: 1, channels: 784)
    static let mnist = ImageShape(height: 28, width: 28, channels: 1)

    @Test func bench() throws {
        guard Self.enabled else { return }
        let env = ProcessInfo.processInfo.environment
        let threads = Int(env["BENCH_THREADS"] ?? "2") ?? 2
        print("core:", BLASInfo.coreName, "config:", BLASInfo.configuration)
        let clock = ContinuousClock()
        var data: FashionMNIST?
        let loadTime = try clock.measure { data = try FashionMNIST() }
        print("load:", loadTime)
        if env["BENCH_SGEMM"] != nil {
            for n in [512, 1024, 2048] {
                print("sgemm n=\(n) threads=\(threads): \(SgemmProbe.gflops(n: n, threads: threads)) GFLOP/s")
            }
        }
        let trainer = Trainer(dataset: data!, threads: threads)
        let epochs = Int(env["BENCH_EPOCHS"] ?? "1") ?? 1
        var recipe = TrainingRecipe(epochs: epochs)
        if let lr = env["BENCH_LR"].flatMap(Double.init) { recipe.learningRate = lr }
        if env["BENCH_ADAM"] != nil { recipe.optimizer = .adam }
        if let b = env["BENCH_BATCH"].flatMap(Int.init) { recipe.batchSize = b }
        if let s = env["BENCH_SUBSET"].flatMap(Int.init) { recipe.trainSubset = s }
        let which = env["BENCH_MODEL"] ?? "mlp"
        let shape: ModelShape
        if which == "mlp" {
            shape = ModelShape(input: Self.flat, classes: 10, layers: [.dense(units: 256), .dense(units: 256)], head: .flatten)
        } else {
            shape = ModelShape(input: Self.mnist, classes: 10, layers: [.conv(channels: 32, kernel: 3, stride: 2), .conv(channels: 64, kernel: 3, stride: 2), .conv(channels: 128, kernel: 3, stride: 2)], head: .globalAveragePool)
        }
        let result = try trainer.train(shape: shape, recipe: recipe, onEpoch: { r in
            print("epoch \(r.epoch): loss \(r.trainLoss) train \(r.trainAccuracy) val \(r.validationAccuracy) \(r.seconds)s")
        })
        print("\(which) val=\(result.validationAccuracy) samples/s=\(result.samplesPerSecond) GFLOP/s=\(result.trainingGFLOPs) total=\(result.seconds)s kernel=\(result.blasKernel) threads=\(result.threads)")
    }
}
