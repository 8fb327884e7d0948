import Foundation
import NASSpace
import Testing
@testable import NASTrainer

/// The kernels of the `mobilenet` family (depthwise convolution, ReLU6, residual add) and the
/// inverted residual block against naive references, and whole networks of blocks against
/// finite differences (docs/ARCHITECTURE.md#mobilenet-family).
@Suite struct MobileNetKernelTests {
    /// (height, width, channels, kernel, stride): every kernel size with stride 1 and 2, odd and
    /// even sides, a 1×1 map.
    static let cases: [(Int, Int, Int, Int, Int)] = [
        (5, 5, 1, 3, 1), (6, 5, 3, 3, 2), (7, 4, 2, 5, 1), (7, 7, 4, 5, 2), (8, 6, 3, 7, 1), (9, 9, 2, 7, 2),
        (4, 6, 3, 1, 1), (5, 4, 2, 1, 2), (1, 1, 4, 3, 1), (3, 1, 2, 3, 2),
        // 16 channels and more run the kernels' vector lanes, plus a scalar tail.
        (3, 3, 17, 3, 1), (6, 5, 17, 3, 2), (5, 4, 35, 5, 1),
    ]

    static func geometry(_ h: Int, _ w: Int, _ c: Int, _ k: Int, _ s: Int) -> ConvGeometry {
        ConvGeometry(input: ImageShape(height: h, width: w, channels: c), outputChannels: c, kernel: k, stride: s)
    }

    /// Direct depthwise "same" convolution in Double, TensorFlow padding.
    static func naiveDepthwise(_ x: Matrix, _ g: ConvGeometry, weights: Matrix, bias: Matrix) -> [Double] {
        let input = g.input, output = g.output
        var result: [Double] = []
        for s in 0..<x.rows {
            for oy in 0..<output.height {
                for ox in 0..<output.width {
                    for c in 0..<input.channels {
                        var sum = Double(bias[0, c])
                        for ky in 0..<g.kernel {
                            for kx in 0..<g.kernel {
                                let iy = oy * g.stride - g.padTop + ky, ix = ox * g.stride - g.padLeft + kx
                                guard iy >= 0, iy < input.height, ix >= 0, ix < input.width else { continue }
                                sum += Double(x[s, (iy * input.width + ix) * input.channels + c]) * Double(weights[ky * g.kernel + kx, c])
                            }
                        }
                        result.append(sum)
                    }
                }
            }
        }
        return result
    }

    @Test func depthwiseForwardMatchesDirectConvolution() {
        var random = TestRandom(seed: 61)
        for (h, w, c, k, s) in Self.cases {
            let g = Self.geometry(h, w, c, k, s)
            let weights = random.matrix(rows: k * k, cols: c), bias = random.matrix(rows: 1, cols: c)
            let x = random.matrix(rows: 3, cols: g.input.count)
            var y = Matrix(rows: 0, cols: 0)
            Kernel.depthwiseConv(x, geometry: g, weights: weights, bias: bias, into: &y)
            #expect(y.rows == 3 && y.cols == g.output.count)
            #expect(isClose(y, Self.naiveDepthwise(x, g, weights: weights, bias: bias)), "h=\(h) w=\(w) c=\(c) k=\(k) s=\(s)")
        }
    }

    @Test func depthwiseBackwardMatchesTheGradientsOfTheDirectConvolution() {
        // loss = Σ y ⊙ r is linear in x and in W separately, so gradient entry i is loss(e_i) − loss(0).
        var random = TestRandom(seed: 62)
        for (h, w, c, k, s) in Self.cases where h * w * c <= 160 {
            let g = Self.geometry(h, w, c, k, s)
            let weights = random.matrix(rows: k * k, cols: c), zeroBias = Matrix(rows: 1, cols: c)
            let x = random.matrix(rows: 2, cols: g.input.count), r = random.matrix(rows: 2, cols: g.output.count)
            var dw = Matrix(rows: 0, cols: 0), dx = Matrix(rows: 0, cols: 0)
            Kernel.depthwiseConvBackward(r, input: x, geometry: g, weights: weights, weightGradient: &dw,
                                         inputGradient: &dx, computeInputGradient: true)
            func loss(_ x: Matrix, _ wts: Matrix) -> Double {
                let out = Self.naiveDepthwise(x, g, weights: wts, bias: zeroBias)
                return out.indices.reduce(0.0) { $0 + out[$1] * Double(r[flat: $1]) }
            }
            let zeroW = Matrix(rows: k * k, cols: c), zeroX = Matrix(rows: 2, cols: g.input.count)
            let expectedW: [Double] = (0..<zeroW.count).map { i in var e = zeroW; e[flat: i] = 1; return loss(x, e) }
            let expectedX: [Double] = (0..<zeroX.count).map { i in var e = zeroX; e[flat: i] = 1; return loss(e, weights) }
            #expect(isClose(dw, expectedW), "dW h=\(h) w=\(w) c=\(c) k=\(k) s=\(s)")
            #expect(isClose(dx, expectedX), "dx h=\(h) w=\(w) c=\(c) k=\(k) s=\(s)")
        }
    }

    @Test func depthwiseKernelsGiveBitIdenticalResultsOnAnyThreadCount() {
        var random = TestRandom(seed: 63)
        let g = Self.geometry(9, 7, 24, 5, 2)
        let weights = random.matrix(rows: 25, cols: 24), bias = random.matrix(rows: 1, cols: 24)
        let x = random.matrix(rows: 7, cols: g.input.count), r = random.matrix(rows: 7, cols: g.output.count)
        var y1 = Matrix(rows: 0, cols: 0), y3 = Matrix(rows: 0, cols: 0)
        Kernel.depthwiseConv(x, geometry: g, weights: weights, bias: bias, into: &y1)
        Kernel.depthwiseConv(x, geometry: g, weights: weights, bias: bias, into: &y3, parallelism: 3)
        #expect(y1 == y3)
        var dw1 = Matrix(rows: 0, cols: 0), dx1 = Matrix(rows: 0, cols: 0), dw3 = Matrix(rows: 0, cols: 0), dx3 = Matrix(rows: 0, cols: 0)
        Kernel.depthwiseConvBackward(r, input: x, geometry: g, weights: weights, weightGradient: &dw1, inputGradient: &dx1, computeInputGradient: true)
        Kernel.depthwiseConvBackward(r, input: x, geometry: g, weights: weights, weightGradient: &dw3, inputGradient: &dx3,
                                     computeInputGradient: true, parallelism: 3)
        #expect(dw1 == dw3 && dx1 == dx3)
    }

    @Test func relu6ClipsToZeroAndSixAndPassesGradientsOnlyInBetween() {
        var y = Matrix(rows: 2, cols: 4, storage: [-1, 0, 0.5, 5.9, 6, 7, 3, -0.1])
        Kernel.relu6InPlace(&y)
        #expect(y.storage == [0, 0, 0.5, 5.9, 6, 6, 3, 0])
        var g = Matrix(rows: 2, cols: 4, storage: [1, 2, 3, 4, 5, 6, 7, 8])
        Kernel.relu6BackwardInPlace(output: y, gradient: &g)
        #expect(g.storage == [0, 0, 3, 4, 0, 0, 7, 0])
        var random = TestRandom(seed: 64)
        var big1 = random.matrix(rows: 300, cols: 300, scale: 8), big2 = big1
        Kernel.relu6InPlace(&big1)
        Kernel.relu6InPlace(&big2, parallelism: 2)
        #expect(big1 == big2)
    }

    /// ReLU6 runs sixteen lanes at a time plus a scalar tail: every element must get the scalar
    /// formula's bits, NaN and the kinks included.
    @Test func relu6LanesMatchTheScalarFormula() {
        var random = TestRandom(seed: 65)
        var y = random.matrix(rows: 1, cols: 1_013, scale: 8)
        for (i, special) in [(0, Float.nan), (17, 0), (18, 6), (40, -0.0), (1_012, .infinity), (500, -.infinity)] { y[flat: i] = special }
        let before = y
        Kernel.relu6InPlace(&y)
        for i in 0..<y.count {
            let v = before[flat: i]
            let expected: Float = v > 0 ? (v < 6 ? v : 6) : 0
            #expect(y[flat: i].bitPattern == expected.bitPattern, "forward element \(i): \(v)")
        }
        let output = before  // unclipped values, so that every side of (0, 6) appears
        var g = random.matrix(rows: 1, cols: 1_013)
        let incoming = g
        Kernel.relu6BackwardInPlace(output: output, gradient: &g)
        for i in 0..<g.count {
            let v = output[flat: i]
            let expected = (v > 0 && v < 6) ? incoming[flat: i] : 0
            #expect(g[flat: i].bitPattern == expected.bitPattern, "backward element \(i): output \(v)")
        }
    }

    @Test func residualAddSumsElementWiseWhateverTheRowSplit() {
        let x = Matrix(rows: 2, cols: 3, storage: [1, 2, 3, 4, 5, 6])
        var y = Matrix(rows: 3, cols: 2, storage: [10, 20, 30, 40, 50, 60])
        Kernel.addInPlace(x, into: &y)
        #expect(y.storage == [11, 22, 33, 44, 55, 66] && y.rows == 3)
    }

    /// The block computed from naive pieces: pointwise GEMMs, the direct depthwise conv, ReLU6
    /// and the residual, in Double.
    static func naiveBlock(_ x: Matrix, _ block: NetworkOperation.InvertedResidual, _ p: [Matrix]) -> [Double] {
        let n = x.rows
        func pointwise(_ v: [Double], pixels: Int, cin: Int, _ w: Matrix, _ b: Matrix) -> [Double] {
            var out: [Double] = []
            for r in 0..<pixels {
                for co in 0..<w.cols {
                    var sum = Double(b[0, co])
                    for ci in 0..<cin { sum += v[r * cin + ci] * Double(w[ci, co]) }
                    out.append(sum)
                }
            }
            return out
        }
        let relu6 = { (v: Double) in min(max(v, 0), 6) }
        var e = (0..<x.count).map { Double(x[flat: $0]) }
        if let expand = block.expand {
            e = pointwise(e, pixels: n * block.input.height * block.input.width, cin: block.input.channels,
                          p[expand.weights], p[expand.bias]).map(relu6)
        }
        let eMatrix = Matrix(rows: n, cols: block.depthwise.input.count, storage: e.map(Float.init))
        let d = naiveDepthwise(eMatrix, block.depthwise, weights: p[block.depthwiseWeights], bias: p[block.depthwiseBias]).map(relu6)
        var y = pointwise(d, pixels: n * block.depthwise.outputPositions, cin: block.hidden, p[block.projectWeights], p[block.projectBias])
        if block.residual { y = y.indices.map { y[$0] + Double(x[flat: $0]) } }
        return y
    }

    @Test(arguments: [(3, 1, 1, 4), (3, 6, 1, 4), (5, 3, 2, 6), (7, 1, 2, 3), (5, 6, 1, 5)])
    func invertedResidualForwardMatchesItsNaivePieces(kernel: Int, expansion: Int, stride: Int, outputs: Int) throws {
        var random = TestRandom(seed: 65 + UInt64(kernel * 100 + expansion * 10 + stride))
        let input = ImageShape(height: 7, width: 6, channels: 4)
        let shape = ModelShape(input: input, classes: 3,
                               layers: [.invertedResidual(channels: outputs, kernel: kernel, expansion: expansion, stride: stride)],
                               head: .globalAveragePool)
        var generator = SplitMix64(seed: 1)
        var network = try Network(shape: shape, inputShape: input, classes: 3, generator: &generator)
        guard case .invertedResidual(let block) = network.operations[0] else {
            Issue.record("the first operation is not a block")
            return
        }
        #expect(block.residual == (stride == 1 && outputs == 4))
        for i in network.parameters.indices { network.parameters[i] = random.matrix(rows: network.parameters[i].rows, cols: network.parameters[i].cols) }
        let x = random.matrix(rows: 2, cols: input.count)
        var buffers = NetworkOperation.InvertedResidual.Buffers()
        var y = Matrix(rows: 0, cols: 0)
        block.forward(x, parameters: network.parameters, buffers: &buffers, into: &y, parallelism: 2)
        #expect(y.rows == 2 && y.cols == block.output.count)
        #expect(isClose(y, Self.naiveBlock(x, block, network.parameters), relative: 1e-4))
    }

    @Test(arguments: [(3, 1, 1), (3, 6, 1), (5, 3, 2), (7, 6, 2), (5, 1, 2), (7, 3, 1)])
    func invertedResidualNetworkGradientsMatchFiniteDifferences(kernel: Int, expansion: Int, stride: Int) throws {
        let input = ImageShape(height: 6, width: 5, channels: 2)
        // The stem-like conv, a block with a residual (3 → 3 channels, stride 1), the block under
        // test, and a block with no residual.
        let shape = ModelShape(input: input, classes: 3, layers: [
            .conv(channels: 3, kernel: 3, stride: 1),
            .invertedResidual(channels: 3, kernel: 3, expansion: 2, stride: 1),
            .invertedResidual(channels: 3, kernel: kernel, expansion: expansion, stride: stride),
            .invertedResidual(channels: 4, kernel: 3, expansion: 1, stride: 1),
        ], head: .globalAveragePool)
        for (name, error) in try GradientCheckTests.check(shape, inputShape: input, seed: 70 + UInt64(kernel * 100 + expansion * 10 + stride)) {
            // 3e-2 rather than the 2e-2 of the other families: four layers deep, with two clipping
            // activations per block, Float central differences are noisier (seen: 2.2e-2 on one bias).
            #expect(error < 3e-2, "k=\(kernel) e=\(expansion) s=\(stride) \(name): relative error \(error)")
        }
    }

    @Test func anInvertedResidualNetworkHasTheParameterCountOfItsShape() throws {
        let input = ImageShape(height: 28, width: 28, channels: 1)
        let shape = ModelShape(input: input, classes: 10, layers: [
            .conv(channels: 16, kernel: 3, stride: 2),
            .invertedResidual(channels: 16, kernel: 3, expansion: 1, stride: 1),
            .invertedResidual(channels: 24, kernel: 5, expansion: 6, stride: 2),
            .invertedResidual(channels: 24, kernel: 7, expansion: 3, stride: 1),
            .conv(channels: 64, kernel: 1, stride: 1),
        ], head: .globalAveragePool)
        var generator = SplitMix64(seed: 2)
        let network = try Network(shape: shape, inputShape: input, classes: 10, generator: &generator)
        #expect(network.parameterCount == shape.params)
    }

    @Test func everyExampleNetworkHasTheParameterCountTheSpaceComputes() throws {
        let url = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
            .appendingPathComponent("examples/fashion-mobilenet.yaml")
        let space = try SpecLoader.load(path: url.path)
        var random = SplitMix64(seed: 9)
        for _ in 0..<12 {
            let architecture = Architecture(space.layers.map { Int(random.next() % UInt64($0.options.count)) })
            let shape = try #require(space.modelShape(for: architecture))
            var generator = SplitMix64(seed: 3)
            let network = try Network(shape: shape, inputShape: ImageShape(height: 28, width: 28, channels: 1), classes: 10,
                                      generator: &generator)
            #expect(network.parameterCount == space.costs(of: architecture).params, "\(space.key(of: architecture))")
        }
    }
}
