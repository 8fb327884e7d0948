import Foundation
import NASSpace
import Testing
@testable import NASTrainer

@Suite struct NetworkShapeTests {
    static let mnist = ImageShape(height: 28, width: 28, channels: 1)
    static let flat = ImageShape(height: 1, width: 1, channels: 784)

    static let shapes: [ModelShape] = [
        ModelShape(input: flat, classes: 10, layers: [.dense(units: 256), .dense(units: 256)], head: .flatten),
        ModelShape(input: flat, classes: 10, layers: [.dense(units: 128)], head: .flatten),
        ModelShape(input: flat, classes: 10, layers: [], head: .flatten),  // every layer skipped
        ModelShape(input: mnist, classes: 10, layers: [.dense(units: 64), .dense(units: 32), .dense(units: 16)], head: .flatten),
        ModelShape(input: mnist, classes: 10, layers: [.conv(channels: 32, kernel: 3, stride: 2), .conv(channels: 64, kernel: 3, stride: 2),
                                                       .conv(channels: 128, kernel: 3, stride: 2)], head: .globalAveragePool),
        ModelShape(input: mnist, classes: 10, layers: [.conv(channels: 16, kernel: 5, stride: 1), .conv(channels: 8, kernel: 1, stride: 2)],
                   head: .globalAveragePool),
        ModelShape(input: mnist, classes: 10, layers: [.conv(channels: 24, kernel: 3, stride: 2)], head: .globalAveragePool),  // skipped layers
        ModelShape(input: mnist, classes: 10, layers: [], head: .globalAveragePool),
        ModelShape(input: mnist, classes: 10, layers: [.conv(channels: 16, kernel: 3, stride: 1), .maxPool(size: 2),
                                                       .conv(channels: 32, kernel: 3, stride: 1), .maxPool(size: 2)], head: .flatten),
        ModelShape(input: mnist, classes: 10, layers: [.maxPool(size: 3), .conv(channels: 4, kernel: 3, stride: 2)], head: .globalAveragePool),
        ModelShape(input: mnist, classes: 10, layers: [.conv(channels: 4, kernel: 3, stride: 2), .maxPool(size: 2), .dense(units: 12)], head: .flatten),
    ]

    @Test(arguments: shapes)
    func builtNetworkHasExactlyTheShapesParameterCount(shape: ModelShape) throws {
        var generator = SplitMix64(seed: 1)
        let network = try Network(shape: shape, inputShape: Self.mnist, classes: 10, generator: &generator)
        #expect(network.parameterCount == shape.params)
    }

    /// Every architecture of the shipped mlp and cnn examples: the network the trainer builds has
    /// the parameter count the cost model gives.
    @Test(arguments: ["fashion-mlp.yaml", "fashion-cnn.yaml", "external-mlp.yaml"])
    func everyExampleArchitectureBuildsWithTheCostModelsParameterCount(example: String) throws {
        let path = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent().appendingPathComponent("examples/\(example)").path
        let space = try SpecLoader.load(path: path)
        var indices: [[Int]] = [[]]
        for layer in space.layers {
            indices = indices.flatMap { prefix in layer.options.indices.map { prefix + [$0] } }
        }
        var distinct = Set<ModelShape>()
        for option in indices {
            let architecture = Architecture(option)
            guard let shape = space.modelShape(for: architecture) else { Issue.record("not an mlp/cnn space"); return }
            #expect(shape.params == space.costs(of: architecture).params)
            distinct.insert(shape)
        }
        // Building every network in a debug build takes minutes; a seeded sample plus the largest
        // one covers every layer kind, skip pattern and stride combination of the examples.
        var sampler = SplitMix64(seed: 5)
        let ordered = distinct.sorted { $0.params < $1.params }
        let sample = ordered.filter { _ in sampler.next() % UInt64(max(1, ordered.count / 40)) == 0 } + [ordered.last].compactMap { $0 }
        #expect(!sample.isEmpty)
        for shape in sample {
            var generator = SplitMix64(seed: 1)
            let network = try Network(shape: shape, inputShape: Self.mnist, classes: 10, generator: &generator)
            #expect(network.parameterCount == shape.params, "\(shape.layers)")
        }
    }

    @Test(arguments: [ModelLayer.conv(channels: 4, kernel: 3, stride: 1), .maxPool(size: 2)])
    func imageLayerAfterFlattenedInputIsRejected(layer: ModelLayer) {
        var generator = SplitMix64(seed: 1)
        let shape = ModelShape(input: Self.flat, classes: 10, layers: [layer], head: .flatten)
        #expect(throws: TrainerError.self) {
            _ = try Network(shape: shape, inputShape: Self.mnist, classes: 10, generator: &generator)
        }
        let afterDense = ModelShape(input: Self.mnist, classes: 10, layers: [.dense(units: 8), layer], head: .flatten)
        #expect(throws: TrainerError.self) {
            _ = try Network(shape: afterDense, inputShape: Self.mnist, classes: 10, generator: &generator)
        }
    }

    @Test func wrongInputSizeOrClassCountIsRejectedWithAOneLineReason() {
        var generator = SplitMix64(seed: 1)
        let wrongInput = ModelShape(input: ImageShape(height: 1, width: 1, channels: 100), classes: 10, layers: [], head: .flatten)
        let wrongClasses = ModelShape(input: Self.flat, classes: 7, layers: [], head: .flatten)
        for shape in [wrongInput, wrongClasses] {
            do {
                _ = try Network(shape: shape, inputShape: Self.mnist, classes: 10, generator: &generator)
                Issue.record("expected an error for \(shape)")
            } catch let error as TrainerError {
                #expect(!error.description.contains("\n"))
                #expect(error.description.contains("model shape"))
            } catch {
                Issue.record("unexpected error \(error)")
            }
        }
    }

    @Test func heInitialisationHasTheExpectedSpreadAndZeroBiases() throws {
        var generator = SplitMix64(seed: 5)
        let shape = ModelShape(input: Self.flat, classes: 10, layers: [.dense(units: 200)], head: .flatten)
        let network = try Network(shape: shape, inputShape: Self.mnist, classes: 10, generator: &generator)
        let w = network.parameters[0].storage.map(Double.init)
        let variance = w.reduce(0) { $0 + $1 * $1 } / Double(w.count)
        #expect(abs(variance - 2.0 / 784) < 0.05 * 2.0 / 784)
        #expect(network.parameters[1].storage.allSatisfy { $0 == 0 })
    }
}
