import NASSpace
import Testing
@testable import NASTrainer

/// The kernels that split work over the batch or over GEMM blocks on their own threads
/// (`Kernel.convolutionForward`/`Backward`, `Matrix.parallelGemm`): each against a naive
/// reference for every chunking, and each bit-identical when run twice the same way.
@Suite struct BatchSplitKernelTests {
    /// (parallelism, block bytes): one chunk and one block; several chunks of one-sample blocks;
    /// more chunks than fit evenly.
    static let splits: [(Int, Int)] = [(1, 1 << 30), (1, 1), (2, 1), (3, 1), (3, 1 << 30)]

    @Test(arguments: splits)
    func splitConvolutionForwardMatchesDirectConvolutionWithAndWithoutReLU(parallelism: Int, blockBytes: Int) {
        var random = TestRandom(seed: 51)
        for (h, w, cin, cout, k, s) in ConvolutionKernelTests.cases {
            let g = ConvGeometry(input: ImageShape(height: h, width: w, channels: cin), outputChannels: cout, kernel: k, stride: s)
            let weights = random.matrix(rows: g.patchSize, cols: cout), bias = random.matrix(rows: 1, cols: cout)
            let x = random.matrix(rows: 5, cols: g.input.count)
            let expected = ConvolutionKernelTests.naiveConv(x, g, weights: weights, bias: bias)
            for relu in [false, true] {
                var columns = Matrix(rows: 0, cols: 0), y = Matrix(rows: 0, cols: 0)
                Kernel.convolutionForward(x, weights: weights, bias: bias, geometry: g, relu: relu, scratch: &columns, into: &y,
                                          parallelism: parallelism, blockBytes: blockBytes)
                #expect(y.rows == 5 && y.cols == g.output.count)
                #expect(isClose(y, relu ? expected.map { max($0, 0) } : expected, relative: 1e-5),
                        "h=\(h) w=\(w) cin=\(cin) cout=\(cout) k=\(k) s=\(s) relu=\(relu) p=\(parallelism) block=\(blockBytes)")
            }
        }
    }

    @Test(arguments: splits)
    func splitConvolutionBackwardMatchesProductsOfTheReferenceColumns(parallelism: Int, blockBytes: Int) {
        // With the ReLU mask m = [y > 0] and r = dy ⊙ m: dW = colsᵀ r, db = Σ r, dx = col2im(r Wᵀ),
        // computed here from the serial im2col/col2im kernels and naive products in Double.
        var random = TestRandom(seed: 52)
        for (h, w, cin, cout, k, s) in ConvolutionKernelTests.cases {
            let g = ConvGeometry(input: ImageShape(height: h, width: w, channels: cin), outputChannels: cout, kernel: k, stride: s)
            let weights = random.matrix(rows: g.patchSize, cols: cout), bias = random.matrix(rows: 1, cols: cout)
            let n = 5
            let x = random.matrix(rows: n, cols: g.input.count), dy = random.matrix(rows: n, cols: g.output.count)
            var columns = Matrix(rows: 0, cols: 0), y = Matrix(rows: 0, cols: 0)
            Kernel.convolutionForward(x, weights: weights, bias: bias, geometry: g, relu: true, scratch: &columns, into: &y,
                                      parallelism: parallelism, blockBytes: blockBytes)
            var reference = Matrix(rows: 0, cols: 0)
            Kernel.im2col(x, geometry: g, into: &reference)
            var masked = dy
            for i in 0..<masked.count where y[flat: i] <= 0 { masked[flat: i] = 0 }
            var r = masked
            r.reshape(rows: n * g.outputPositions, cols: cout)
            let dW = naiveProduct(reference, .transposed, r, .none)
            let db = (0..<cout).map { c in (0..<r.rows).reduce(0.0) { $0 + Double(r[$1, c]) } }
            let columnGradient = naiveProduct(r, .none, weights, .transposed)
            var columnGradientMatrix = Matrix(rows: r.rows, cols: g.patchSize, storage: columnGradient.map { Float($0) })
            var dx = Matrix(rows: 0, cols: 0)
            Kernel.col2im(columnGradientMatrix, geometry: g, samples: n, into: &dx)
            columnGradientMatrix = Matrix(rows: 0, cols: 0)

            var gradient = dy, weightGradient = Matrix(rows: g.patchSize, cols: cout), biasGradient = Matrix(rows: 1, cols: cout)
            var inputGradient = Matrix(rows: 0, cols: 0)
            Kernel.convolutionBackward(input: x, output: y, outputGradient: &gradient, weights: weights, geometry: g, relu: true,
                                       scratch: &columns, weightGradient: &weightGradient, biasGradient: &biasGradient,
                                       inputGradient: &inputGradient, computeInputGradient: true,
                                       parallelism: parallelism, blockBytes: blockBytes)
            let label = "h=\(h) w=\(w) cin=\(cin) cout=\(cout) k=\(k) s=\(s) p=\(parallelism) block=\(blockBytes)"
            #expect(gradient == masked, "\(label): dy is replaced by the masked gradient")
            #expect(isClose(weightGradient, dW, relative: 1e-5), "dW \(label)")
            #expect(isClose(biasGradient, db, relative: 1e-5), "db \(label)")
            #expect(isClose(inputGradient, (0..<dx.count).map { Double(dx[flat: $0]) }, relative: 1e-5), "dx \(label)")
        }
    }

    @Test func splitConvolutionIsBitIdenticalForTheSameSplit() {
        var random = TestRandom(seed: 53)
        let g = ConvGeometry(input: ImageShape(height: 14, width: 14, channels: 16), outputChannels: 32, kernel: 3, stride: 1)
        let weights = random.matrix(rows: g.patchSize, cols: 32), bias = random.matrix(rows: 1, cols: 32)
        let x = random.matrix(rows: 37, cols: g.input.count), dy = random.matrix(rows: 37, cols: g.output.count)
        func run() -> [Matrix] {
            var columns = Matrix(rows: 0, cols: 0), y = Matrix(rows: 0, cols: 0)
            Kernel.convolutionForward(x, weights: weights, bias: bias, geometry: g, relu: true, scratch: &columns, into: &y,
                                      parallelism: 3, blockBytes: 200_000)
            var gradient = dy, dW = Matrix(rows: g.patchSize, cols: 32), db = Matrix(rows: 1, cols: 32), dx = Matrix(rows: 0, cols: 0)
            Kernel.convolutionBackward(input: x, output: y, outputGradient: &gradient, weights: weights, geometry: g, relu: true,
                                       scratch: &columns, weightGradient: &dW, biasGradient: &db, inputGradient: &dx,
                                       computeInputGradient: true, parallelism: 3, blockBytes: 200_000)
            return [y, dW, db, dx]
        }
        #expect(run() == run())
    }

    @Test func splitConvolutionOfAnEmptyBatchIsEmptyWithZeroGradients() {
        let g = ConvGeometry(input: ImageShape(height: 4, width: 4, channels: 2), outputChannels: 3, kernel: 3, stride: 1)
        let weights = Matrix(rows: g.patchSize, cols: 3), bias = Matrix(rows: 1, cols: 3)
        var columns = Matrix(rows: 0, cols: 0), y = Matrix(rows: 0, cols: 0)
        let x = Matrix(rows: 0, cols: g.input.count)
        Kernel.convolutionForward(x, weights: weights, bias: bias, geometry: g, relu: true,
                                  scratch: &columns, into: &y, parallelism: 2)
        #expect(y.rows == 0 && y.cols == g.output.count)
        var dy = Matrix(rows: 0, cols: g.output.count), dW = Matrix(rows: g.patchSize, cols: 3), db = Matrix(rows: 1, cols: 3)
        dW.fill(1)
        db.fill(1)
        var dx = Matrix(rows: 0, cols: 0)
        Kernel.convolutionBackward(input: x, output: y, outputGradient: &dy, weights: weights, geometry: g, relu: true, scratch: &columns,
                                   weightGradient: &dW, biasGradient: &db, inputGradient: &dx, computeInputGradient: true,
                                   parallelism: 2)
        #expect(dW == Matrix(rows: g.patchSize, cols: 3) && db == Matrix(rows: 1, cols: 3) && dx.rows == 0)
    }

    /// (m, n, k): split by rows, split by columns (few rows), too small to split, K = 1, 1 × N.
    @Test(arguments: [(200, 7, 13), (5, 150, 9), (9, 11, 300), (130, 70, 1), (1, 300, 5)])
    func parallelGemmMatchesNaiveProductForEveryTransposition(m: Int, n: Int, k: Int) {
        var random = TestRandom(seed: 54)
        for ta in [Transposition.none, .transposed] {
            for tb in [Transposition.none, .transposed] {
                let a = ta == .none ? random.matrix(rows: m, cols: k) : random.matrix(rows: k, cols: m)
                let b = tb == .none ? random.matrix(rows: k, cols: n) : random.matrix(rows: n, cols: k)
                let start = random.matrix(rows: m, cols: n)
                let expected = naiveProduct(a, ta, b, tb)
                for parallelism in [1, 2, 3] {
                    var c = start
                    Matrix.parallelGemm(a, b, into: &c, transposeA: ta, transposeB: tb, alpha: 2, beta: 0.5, parallelism: parallelism,
                                        minimumSplitWork: 0)
                    let reference = expected.indices.map { 2 * expected[$0] + 0.5 * Double(start[flat: $0]) }
                    #expect(isClose(c, reference, relative: 1e-5), "m=\(m) n=\(n) k=\(k) ta=\(ta) tb=\(tb) p=\(parallelism)")
                    var again = start
                    Matrix.parallelGemm(a, b, into: &again, transposeA: ta, transposeB: tb, alpha: 2, beta: 0.5, parallelism: parallelism,
                                        minimumSplitWork: 0)
                    #expect(again == c, "the same split gives the same bits")
                }
            }
        }
    }

    /// Widths below, at and above the eight vector lanes, with a tail; rows split over threads.
    @Test(arguments: [1, 8, 13, 40])
    func fusedBiasReLUAndMaskSumMatchElementwiseLoops(width: Int) {
        var random = TestRandom(seed: 55)
        let rows = 700
        let bias = random.matrix(rows: 1, cols: width), y0 = random.matrix(rows: rows, cols: width)
        for relu in [false, true] {
            for parallelism in [1, 3] {
                var y = y0
                Kernel.addBias(bias, to: &y, relu: relu, parallelism: parallelism)
                let expected = (0..<y0.count).map { i -> Double in
                    let v = y0[flat: i] + bias[flat: i % width]
                    return Double(relu ? max(v, 0) : v)
                }
                #expect(y == Matrix(rows: rows, cols: width, storage: expected.map { Float($0) }), "width \(width) relu \(relu) p \(parallelism)")
            }
            let dy = random.matrix(rows: rows, cols: width)
            var g = dy, sums = Matrix(rows: 1, cols: width)
            Kernel.maskAndSum(&g, output: y0, relu: relu, into: &sums)
            var masked = dy
            if relu { for i in 0..<masked.count where !(y0[flat: i] > 0) { masked[flat: i] = 0 } }
            #expect(g == masked, "width \(width) relu \(relu)")
            #expect(isClose(sums, (0..<width).map { c in (0..<rows).reduce(0.0) { $0 + Double(masked[$1, c]) } }, relative: 1e-5))
        }
    }

    /// The optimizer steps are element-wise: splitting them over threads gives the same bits.
    @Test func optimizerStepsGiveTheSameBitsOnAnyNumberOfThreads() {
        var random = TestRandom(seed: 56)
        let weights = random.matrix(rows: 300, cols: 301), gradient = random.matrix(rows: 300, cols: 301)
        let moment = random.matrix(rows: 300, cols: 301), second = random.matrix(rows: 300, cols: 301, scale: 0.5)
        func sgd(_ parallelism: Int) -> [Matrix] {
            var w = weights, v = moment
            Kernel.sgdStep(weights: &w, gradient: gradient, velocity: &v, learningRate: 0.1, momentum: 0.9, weightDecay: 5e-4,
                           parallelism: parallelism)
            return [w, v]
        }
        func adam(_ parallelism: Int) -> [Matrix] {
            var w = weights, m = moment, v = second
            for i in 0..<v.count { v[flat: i] = abs(v[flat: i]) }
            Kernel.adamStep(weights: &w, gradient: gradient, firstMoment: &m, secondMoment: &v, learningRate: 1e-3,
                            weightDecay: 5e-4, step: 3, parallelism: parallelism)
            return [w, m, v]
        }
        #expect(sgd(1) == sgd(3))
        #expect(adam(1) == adam(2))
    }
}
