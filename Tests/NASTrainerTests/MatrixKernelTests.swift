import Foundation
import NASSpace
import Testing
@testable import NASTrainer

@Suite struct MatrixKernelTests {
    /// Shapes (m, n, k) including the edge cases 1×N, K = 1 and non-square.
    static let gemmShapes: [(Int, Int, Int)] = [(1, 7, 5), (6, 1, 4), (5, 3, 1), (1, 1, 1), (17, 9, 33), (64, 40, 3), (3, 70, 65)]

    @Test(arguments: [Transposition.none, .transposed], [Transposition.none, .transposed])
    func gemmMatchesNaiveProductForEveryTransposition(ta: Transposition, tb: Transposition) {
        var random = TestRandom(seed: 11)
        for (m, n, k) in Self.gemmShapes {
            // Given op(a): m × k and op(b): k × n stored as the transposition requires
            let a = ta == .none ? random.matrix(rows: m, cols: k) : random.matrix(rows: k, cols: m)
            let b = tb == .none ? random.matrix(rows: k, cols: n) : random.matrix(rows: n, cols: k)
            var c = Matrix(rows: m, cols: n)
            // When
            Matrix.gemm(a, b, into: &c, transposeA: ta, transposeB: tb)
            // Then
            #expect(isClose(c, naiveProduct(a, ta, b, tb)), "m=\(m) n=\(n) k=\(k) ta=\(ta) tb=\(tb)")
        }
    }

    @Test func gemmAccumulatesWithAlphaAndBeta() {
        var random = TestRandom(seed: 12)
        let a = random.matrix(rows: 4, cols: 3), b = random.matrix(rows: 3, cols: 5)
        let c0 = random.matrix(rows: 4, cols: 5)
        var c = c0
        Matrix.gemm(a, b, into: &c, alpha: 2, beta: 0.5)
        let product = naiveProduct(a, .none, b, .none)
        #expect(isClose(c, product.indices.map { 2 * product[$0] + 0.5 * Double(c0[flat: $0]) }))
    }

    @Test func biasBroadcastAndColumnSumsMatchLoops() {
        var random = TestRandom(seed: 13)
        let x = random.matrix(rows: 5, cols: 4), bias = random.matrix(rows: 1, cols: 4)
        var y = x
        Kernel.broadcastRows(bias, into: &y)
        var sums = Matrix(rows: 1, cols: 4)
        Kernel.columnSums(x, into: &sums)
        for r in 0..<5 { for c in 0..<4 { #expect(y[r, c] == bias[0, c]) } }
        #expect(isClose(sums, (0..<4).map { c in (0..<5).reduce(0.0) { $0 + Double(x[$1, c]) } }))
    }

    @Test func reluForwardAndBackwardMaskByPositiveOutputs() {
        let x = Matrix(rows: 2, cols: 3, storage: [-1, 0, 2, 3, -0.5, 0.25])
        let dy = Matrix(rows: 2, cols: 3, storage: [10, 20, 30, 40, 50, 60])
        var y = x, dx = dy
        Kernel.reluInPlace(&y)
        Kernel.reluBackwardInPlace(output: y, gradient: &dx)
        #expect(y.storage == [0, 0, 2, 3, 0, 0.25])
        #expect(dx.storage == [0, 0, 30, 40, 0, 60])
    }

    @Test func globalAveragePoolAveragesEachChannelAndSpreadsGradientEvenly() {
        var random = TestRandom(seed: 14)
        let positions = 6, channels = 3
        let x = random.matrix(rows: 2, cols: positions * channels)
        var y = Matrix(rows: 0, cols: 0)
        Kernel.globalAveragePool(x, positions: positions, channels: channels, into: &y)
        let expected = (0..<2).flatMap { s in
            (0..<channels).map { c in (0..<positions).reduce(0.0) { $0 + Double(x[s, $1 * channels + c]) } / Double(positions) }
        }
        #expect(isClose(y, expected))
        // The adjoint: <GAP(x), dy> == <x, GAP'(dy)> for any dy.
        let dy = random.matrix(rows: 2, cols: channels)
        var dx = Matrix(rows: 0, cols: 0)
        Kernel.globalAveragePoolBackward(dy, positions: positions, into: &dx)
        let lhs = (0..<y.count).reduce(0.0) { $0 + Double(y[flat: $1]) * Double(dy[flat: $1]) }
        let rhs = (0..<x.count).reduce(0.0) { $0 + Double(x[flat: $1]) * Double(dx[flat: $1]) }
        #expect(abs(lhs - rhs) < 1e-5 * (abs(lhs) + 1))
    }

    /// Channel counts 3, 8, 11 and 16 cover the eight-lane path, its scalar rest, and both.
    @Test(arguments: [(2, 4, 4, 3), (2, 5, 7, 11), (3, 7, 5, 8), (2, 1, 1, 16), (4, 3, 9, 3), (2, 6, 6, 16)])
    func maxPoolMatchesNaiveReferenceWithBorderWindows(size: Int, height: Int, width: Int, channels: Int) {
        var random = TestRandom(seed: 16 + UInt64(size * 1000 + height * 100 + width * 10 + channels))
        let shape = ImageShape(height: height, width: width, channels: channels)
        let x = random.matrix(rows: 2, cols: shape.count)
        var y = Matrix(rows: 0, cols: 0)
        Kernel.maxPool(x, input: shape, size: size, into: &y, parallelism: 2)
        let output = shape.downsampled(by: size)
        #expect(output.height == (height + size - 1) / size && output.width == (width + size - 1) / size)
        // The naive reference: every input position, and the window it falls in.
        var expected = [Float](repeating: -.infinity, count: 2 * output.count)
        for s in 0..<2 {
            for iy in 0..<height {
                for ix in 0..<width {
                    for c in 0..<channels {
                        let o = s * output.count + ((iy / size) * output.width + ix / size) * channels + c
                        expected[o] = max(expected[o], x[s, (iy * width + ix) * channels + c])
                    }
                }
            }
        }
        #expect(y.rows == 2 && y.storage == expected)

        // Backward: each output gradient lands on exactly one input, which holds the maximum.
        let dy = random.matrix(rows: 2, cols: output.count)
        var dx = Matrix(rows: 0, cols: 0)
        Kernel.maxPoolBackward(dy, input: x, output: y, shape: shape, size: size, into: &dx, parallelism: 2)
        #expect(dx.rows == 2 && dx.cols == shape.count)
        let sum = { (m: Matrix) in (0..<m.count).reduce(0.0) { $0 + Double(m[flat: $1]) } }
        #expect(abs(sum(dx) - sum(dy)) < 1e-4)
        var routed = Set<Int>()
        for s in 0..<2 {
            for iy in 0..<height {
                for ix in 0..<width {
                    for c in 0..<channels {
                        let i = (iy * width + ix) * channels + c
                        guard dx[s, i] != 0 else { continue }
                        let o = s * output.count + ((iy / size) * output.width + ix / size) * channels + c
                        #expect(x[s, i] == expected[o] && dx[s, i] == dy[flat: o])
                        #expect(routed.insert(o).inserted, "two inputs got the gradient of output \(o)")
                    }
                }
            }
        }
        #expect(routed.count == dy.count)
    }

    @Test func maxPoolOfAnEmptyBatchIsEmpty() {
        let shape = ImageShape(height: 4, width: 4, channels: 8)
        var y = Matrix(rows: 3, cols: 3)
        Kernel.maxPool(Matrix(rows: 0, cols: shape.count), input: shape, size: 2, into: &y)
        #expect(y.rows == 0 && y.cols == 32)
        var dx = Matrix(rows: 0, cols: 0)
        Kernel.maxPoolBackward(Matrix(rows: 0, cols: 32), input: Matrix(rows: 0, cols: shape.count), output: y,
                               shape: shape, size: 2, into: &dx)
        #expect(dx.rows == 0 && dx.cols == shape.count)
    }

    @Test func maxPoolHandsATiedWindowsGradientToItsFirstPositionOnly() {
        // ReLU outputs are often all zero in a window: every position ties for the maximum.
        let shape = ImageShape(height: 3, width: 3, channels: 9)
        let x = Matrix(rows: 1, cols: shape.count)
        var y = Matrix(rows: 0, cols: 0)
        Kernel.maxPool(x, input: shape, size: 2, into: &y)
        var random = TestRandom(seed: 17)
        let dy = random.matrix(rows: 1, cols: y.cols)
        var dx = Matrix(rows: 0, cols: 0)
        Kernel.maxPoolBackward(dy, input: x, output: y, shape: shape, size: 2, into: &dx)
        // Windows start at (0,0), (0,2), (2,0), (2,2): their first positions take the gradient.
        for iy in 0..<3 {
            for ix in 0..<3 {
                for c in 0..<9 {
                    let isFirst = iy % 2 == 0 && ix % 2 == 0
                    let expected = isFirst ? dy[0, ((iy / 2) * 2 + ix / 2) * 9 + c] : 0
                    #expect(dx[0, (iy * 3 + ix) * 9 + c] == expected, "position (\(iy), \(ix)) channel \(c)")
                }
            }
        }
    }

    @Test func softmaxCrossEntropyMatchesDoublePrecisionReference() {
        var random = TestRandom(seed: 15)
        let logits = random.matrix(rows: 4, cols: 5, scale: 4)
        let labels = random.labels(4, classes: 5)
        var gradient = Matrix(rows: 0, cols: 0)
        let (loss, correct) = Kernel.softmaxCrossEntropy(logits: logits, labels: labels[...], gradient: &gradient)
        var expectedLoss = 0.0, expectedCorrect = 0
        var expectedGradient: [Double] = []
        for r in 0..<4 {
            let z = (0..<5).map { Double(logits[r, $0]) }
            let m = z.max()!
            let sum = z.reduce(0) { $0 + exp($1 - m) }
            let p = z.map { exp($0 - m) / sum }
            expectedLoss -= log(p[Int(labels[r])]) / 4
            if z.firstIndex(of: m) == Int(labels[r]) { expectedCorrect += 1 }
            expectedGradient += (0..<5).map { (p[$0] - ($0 == Int(labels[r]) ? 1 : 0)) / 4 }
        }
        #expect(abs(loss - expectedLoss) < 1e-5 * expectedLoss)
        #expect(correct == expectedCorrect)
        #expect(Kernel.correctPredictions(logits: logits, labels: labels[...]) == expectedCorrect)
        #expect(isClose(gradient, expectedGradient, relative: 1e-4))
    }

    @Test func softmaxCrossEntropyIsStableForHugeLogitsAndNaNForNaN() {
        var gradient = Matrix(rows: 0, cols: 0)
        let huge = Matrix(rows: 1, cols: 3, storage: [1000, 0, -1000])
        let (loss, _) = Kernel.softmaxCrossEntropy(logits: huge, labels: [0][...], gradient: &gradient)
        #expect(loss.isFinite && loss < 1e-6)
        let bad = Matrix(rows: 1, cols: 3, storage: [.nan, 0, 1])
        let (nanLoss, _) = Kernel.softmaxCrossEntropy(logits: bad, labels: [1][...], gradient: &gradient)
        #expect(!nanLoss.isFinite)
    }

    @Test func gatherRowsCopiesTheRequestedRows() {
        let source: [Float] = Array(0..<12).map(Float.init)  // 4 rows of 3
        var batch = Matrix(rows: 0, cols: 0)
        Kernel.gatherRows(source, rowLength: 3, indices: [3, 0, 3][...], into: &batch)
        #expect(batch.rows == 3 && batch.cols == 3)
        #expect(batch.storage == [9, 10, 11, 0, 1, 2, 9, 10, 11])
    }

    @Test func sgdStepFollowsMomentumAndWeightDecayFormula() {
        var w = Matrix(rows: 1, cols: 2, storage: [1, -2])
        let g = Matrix(rows: 1, cols: 2, storage: [0.5, 0.25])
        var v = Matrix(rows: 1, cols: 2, storage: [0.1, 0])
        Kernel.sgdStep(weights: &w, gradient: g, velocity: &v, learningRate: 0.1, momentum: 0.9, weightDecay: 0.01)
        // g' = g + 0.01 w = [0.51, 0.23]; v = 0.9 v + g' = [0.6, 0.23]; w -= 0.1 v
        #expect(abs(v[0, 0] - 0.6) < 1e-6 && abs(v[0, 1] - 0.23) < 1e-6)
        #expect(abs(w[0, 0] - 0.94) < 1e-6 && abs(w[0, 1] - -2.023) < 1e-6)
    }

    @Test func adamFirstStepMovesEachWeightByTheLearningRate() {
        // With bias correction, the first Adam step is lr · g/(|g| + ε) ≈ ±lr.
        var w = Matrix(rows: 1, cols: 3, storage: [1, 1, 1])
        let g = Matrix(rows: 1, cols: 3, storage: [0.3, -2, 1e-3])
        var m = Matrix(rows: 1, cols: 3), v = Matrix(rows: 1, cols: 3)
        Kernel.adamStep(weights: &w, gradient: g, firstMoment: &m, secondMoment: &v, learningRate: 0.01, weightDecay: 0, step: 1)
        #expect(abs(w[0, 0] - 0.99) < 1e-5 && abs(w[0, 1] - 1.01) < 1e-5 && abs(w[0, 2] - 0.99) < 1e-4)
    }

    /// The optimizer steps run sixteen lanes at a time plus a scalar tail: every element must get
    /// exactly the bits of the scalar formula, on lengths that are and are not multiples of 16.
    @Test(arguments: [16, 1_007, 40_003])
    func optimizerStepsMatchTheScalarFormulaBitForBit(count: Int) {
        var random = TestRandom(seed: UInt64(count))
        let weights = random.matrix(rows: 1, cols: count), gradient = random.matrix(rows: 1, cols: count)
        let first = random.matrix(rows: 1, cols: count)
        var second = random.matrix(rows: 1, cols: count)
        for i in 0..<count { second[flat: i] = abs(second[flat: i]) }

        var w = weights, v = first
        Kernel.sgdStep(weights: &w, gradient: gradient, velocity: &v, learningRate: 0.05, momentum: 0.9, weightDecay: 5e-4,
                       parallelism: 2)
        for i in 0..<count {
            let g = gradient[flat: i] + Float(5e-4) * weights[flat: i]
            let velocity = Float(0.9) * first[flat: i] + g
            #expect(v[flat: i].bitPattern == velocity.bitPattern && w[flat: i].bitPattern == (weights[flat: i] - Float(0.05) * velocity).bitPattern,
                    "SGD element \(i) of \(count)")
        }

        var aw = weights, m = first, s = second
        Kernel.adamStep(weights: &aw, gradient: gradient, firstMoment: &m, secondMoment: &s, learningRate: 1e-3, weightDecay: 5e-4,
                        step: 7, parallelism: 2)
        let correction1 = 1 - Float(Foundation.pow(Double(Float(0.9)), 7)), correction2 = 1 - Float(Foundation.pow(Double(Float(0.999)), 7))
        for i in 0..<count {
            let g = gradient[flat: i] + Float(5e-4) * weights[flat: i]
            let mi = Float(0.9) * first[flat: i] + (1 - Float(0.9)) * g
            let vi = Float(0.999) * second[flat: i] + (1 - Float(0.999)) * g * g
            let expected = weights[flat: i] - Float(1e-3) * (mi / correction1) / ((vi / correction2).squareRoot() + Float(1e-8))
            #expect(m[flat: i].bitPattern == mi.bitPattern && s[flat: i].bitPattern == vi.bitPattern
                    && aw[flat: i].bitPattern == expected.bitPattern, "Adam element \(i) of \(count)")
        }
    }

    @Test func learningRateSchedulesFollowTheirFormulas() {
        #expect(TrainingRecipe.Schedule.constant.learningRate(base: 0.1, step: 70, totalSteps: 100) == 0.1)
        #expect(TrainingRecipe.Schedule.cosine.learningRate(base: 0.1, step: 0, totalSteps: 100) == 0.1)
        #expect(abs(TrainingRecipe.Schedule.cosine.learningRate(base: 0.1, step: 50, totalSteps: 100) - 0.05) < 1e-12)
        #expect(TrainingRecipe.Schedule.cosine.learningRate(base: 0.1, step: 99, totalSteps: 100) < 0.001)
        #expect(TrainingRecipe.Schedule.step.learningRate(base: 1, step: 49, totalSteps: 100) == 1)
        #expect(TrainingRecipe.Schedule.step.learningRate(base: 1, step: 50, totalSteps: 100) == 0.1)
        #expect(TrainingRecipe.Schedule.step.learningRate(base: 1, step: 75, totalSteps: 100) == 0.01)
    }
}
