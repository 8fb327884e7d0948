import NASSpace
import Testing
@testable import NASTrainer

/// Finite-difference checks of whole networks: every parameter gradient and the input gradient
/// from `backward` against central differences of the softmax cross-entropy loss.
@Suite struct GradientCheckTests {
    /// Central differences `(L(θ + ε) − L(θ − ε)) / 2ε` for up to `samples` entries of each
    /// parameter and of the input, compared with the analytic gradients by relative error of the
    /// sampled vectors.
    ///
    /// An entry whose perturbation crosses a ReLU kink is not differentiable there; such entries
    /// are recognised by one-sided differences that disagree (`|D₊ − D₋| > 10⁻³ + 0.05 |D|`) and
    /// left out, as long as at least half of the entries remain.
    static func check(_ shape: ModelShape, inputShape: ImageShape, batch: Int = 3, seed: UInt64, parallelism: Int = 1,
                      epsilon: Float = 1e-3, samples: Int = 25) throws -> [(name: String, error: Double)] {
        var random = TestRandom(seed: seed)
        var generator = SplitMix64(seed: seed)
        var network = try Network(shape: shape, inputShape: inputShape, classes: shape.classes, generator: &generator)
        // Non-zero biases so ReLU and bias paths are all exercised.
        for i in network.parameters.indices where network.parameters[i].rows == 1 {
            network.parameters[i] = random.matrix(rows: 1, cols: network.parameters[i].cols, scale: 0.1)
        }
        network.computesInputGradient = true
        network.parallelism = parallelism
        var input = random.matrix(rows: batch, cols: inputShape.count)
        let labels = random.labels(batch, classes: shape.classes)[...]
        var logitGradient = Matrix(rows: 0, cols: 0)

        func loss(_ net: inout Network, _ x: Matrix) -> Double {
            var scratch = Matrix(rows: 0, cols: 0)
            net.setInput(x)
            net.forward()
            return Kernel.softmaxCrossEntropy(logits: net.logits, labels: labels, gradient: &scratch).loss
        }

        network.setInput(input)
        network.forward()
        _ = Kernel.softmaxCrossEntropy(logits: network.logits, labels: labels, gradient: &logitGradient)
        network.backward(logitGradient: logitGradient)
        let analytic = network.gradients
        let centre = loss(&network, input)
        let analyticInput = network.inputGradient

        var results: [(String, Double)] = []
        for p in network.parameters.indices {
            let count = network.parameters[p].count
            let picks = (0..<min(samples, count)).map { _ in random.int(0...(count - 1)) }
            var numeric: [Double] = [], exact: [Double] = []
            for i in picks {
                let original = network.parameters[p][flat: i]
                network.parameters[p][flat: i] = original + epsilon
                let plus = loss(&network, input)
                network.parameters[p][flat: i] = original - epsilon
                let minus = loss(&network, input)
                network.parameters[p][flat: i] = original
                if let derivative = smoothDerivative(plus: plus, centre: centre, minus: minus, epsilon: epsilon) {
                    numeric.append(derivative)
                    exact.append(Double(analytic[p][flat: i]))
                }
            }
            #expect(numeric.count * 2 >= picks.count, "too many kinks in parameter \(p)")
            results.append(("parameter \(p) (\(network.parameters[p].rows)×\(network.parameters[p].cols))", relativeError(numeric, exact)))
        }
        var numeric: [Double] = [], exact: [Double] = []
        for _ in 0..<samples {
            let i = random.int(0...(input.count - 1))
            let original = input[flat: i]
            input[flat: i] = original + epsilon
            let plus = loss(&network, input)
            input[flat: i] = original - epsilon
            let minus = loss(&network, input)
            input[flat: i] = original
            if let derivative = smoothDerivative(plus: plus, centre: centre, minus: minus, epsilon: epsilon) {
                numeric.append(derivative)
                exact.append(Double(analyticInput[flat: i]))
            }
        }
        #expect(numeric.count * 2 >= samples, "too many kinks in the input")
        results.append(("input", relativeError(numeric, exact)))
        return results
    }

    /// The central difference, or `nil` when the one-sided differences disagree (a kink).
    static func smoothDerivative(plus: Double, centre: Double, minus: Double, epsilon: Float) -> Double? {
        let forward = (plus - centre) / Double(epsilon)
        let backward = (centre - minus) / Double(epsilon)
        let central = (plus - minus) / (2 * Double(epsilon))
        return abs(forward - backward) > 1e-3 + 0.05 * abs(central) ? nil : central
    }

    @Test func denseReluSoftmaxNetworkGradientsMatchFiniteDifferences() throws {
        let shape = ModelShape(input: ImageShape(height: 1, width: 1, channels: 12), classes: 4,
                               layers: [.dense(units: 9), .dense(units: 7)], head: .flatten)
        for (name, error) in try Self.check(shape, inputShape: shape.input, seed: 31) {
            #expect(error < 2e-2, "\(name): relative error \(error)")
        }
    }

    @Test func headOnlyNetworkGradientsMatchFiniteDifferences() throws {
        let shape = ModelShape(input: ImageShape(height: 1, width: 1, channels: 6), classes: 3, layers: [], head: .flatten)
        for (name, error) in try Self.check(shape, inputShape: shape.input, seed: 32) {
            #expect(error < 1e-2, "\(name): relative error \(error)")
        }
    }

    @Test(arguments: [(1, 1), (1, 2), (3, 1), (3, 2), (5, 1), (5, 2)])
    func convGlobalPoolNetworkGradientsMatchFiniteDifferences(kernel: Int, stride: Int) throws {
        let input = ImageShape(height: 6, width: 5, channels: 2)
        let shape = ModelShape(input: input, classes: 3,
                               layers: [.conv(channels: 3, kernel: kernel, stride: stride), .conv(channels: 4, kernel: 3, stride: 2)],
                               head: .globalAveragePool)
        for (name, error) in try Self.check(shape, inputShape: input, seed: 33 + UInt64(kernel * 10 + stride)) {
            #expect(error < 2e-2, "k=\(kernel) s=\(stride) \(name): relative error \(error)")
        }
    }

    /// The batch split over threads (convolution chunks with per-chunk weight gradients, GEMMs
    /// cut into blocks of columns: 100 units) gives the same gradients as finite differences.
    @Test(arguments: [2, 3])
    func batchSplitConvNetworkGradientsMatchFiniteDifferences(parallelism: Int) throws {
        let input = ImageShape(height: 7, width: 6, channels: 2)
        let shape = ModelShape(input: input, classes: 3,
                               layers: [.conv(channels: 3, kernel: 3, stride: 1), .maxPool(size: 2), .conv(channels: 4, kernel: 3, stride: 2),
                                        .dense(units: 100)],
                               head: .flatten)
        for (name, error) in try Self.check(shape, inputShape: input, batch: 5, seed: 60 + UInt64(parallelism), parallelism: parallelism) {
            #expect(error < 2e-2, "parallelism \(parallelism) \(name): relative error \(error)")
        }
    }

    @Test func convThenDenseNetworkGradientsMatchFiniteDifferences() throws {
        let input = ImageShape(height: 5, width: 5, channels: 1)
        let shape = ModelShape(input: input, classes: 3,
                               layers: [.conv(channels: 2, kernel: 3, stride: 2), .dense(units: 6)], head: .globalAveragePool)
        for (name, error) in try Self.check(shape, inputShape: input, seed: 34) {
            #expect(error < 2e-2, "\(name): relative error \(error)")
        }
    }

    @Test(arguments: [(2, 6, 5), (3, 7, 7), (2, 1, 3)])
    func convMaxPoolFlattenNetworkGradientsMatchFiniteDifferences(size: Int, height: Int, width: Int) throws {
        let input = ImageShape(height: height, width: width, channels: 2)
        let shape = ModelShape(input: input, classes: 3,
                               layers: [.conv(channels: 3, kernel: 3, stride: 1), .maxPool(size: size), .conv(channels: 2, kernel: 3, stride: 1)],
                               head: .flatten)
        for (name, error) in try Self.check(shape, inputShape: input, seed: 40 + UInt64(size * 10 + height)) {
            #expect(error < 2e-2, "pool \(size) on \(height)x\(width): \(name): relative error \(error)")
        }
    }

    @Test func maxPoolThenGlobalPoolNetworkGradientsMatchFiniteDifferences() throws {
        let input = ImageShape(height: 5, width: 6, channels: 1)
        let shape = ModelShape(input: input, classes: 3,
                               layers: [.maxPool(size: 2), .conv(channels: 4, kernel: 3, stride: 2), .maxPool(size: 2)],
                               head: .globalAveragePool)
        for (name, error) in try Self.check(shape, inputShape: input, seed: 47) {
            #expect(error < 2e-2, "\(name): relative error \(error)")
        }
    }
}
