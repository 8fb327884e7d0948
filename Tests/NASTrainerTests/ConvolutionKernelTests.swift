import NASSpace
import Testing
@testable import NASTrainer

@Suite struct ConvolutionKernelTests {
    /// (height, width, in channels, out channels, kernel, stride)
    static let cases: [(Int, Int, Int, Int, Int, Int)] = [
        (5, 5, 1, 2, 3, 1), (6, 5, 2, 3, 3, 2), (7, 4, 3, 2, 5, 1), (7, 7, 2, 4, 5, 2),
        (4, 6, 3, 5, 1, 1), (5, 4, 2, 3, 1, 2), (1, 1, 4, 3, 3, 1), (3, 1, 2, 2, 3, 2), (28, 28, 1, 4, 3, 2),
    ]

    /// Direct "same" convolution, Double accumulation: TensorFlow padding (smaller half first).
    static func naiveConv(_ x: Matrix, _ g: ConvGeometry, weights: Matrix, bias: Matrix) -> [Double] {
        let inShape = g.input, out = g.output
        var result: [Double] = []
        for s in 0..<x.rows {
            for oy in 0..<out.height {
                for ox in 0..<out.width {
                    for co in 0..<out.channels {
                        var sum = Double(bias[0, co])
                        for ky in 0..<g.kernel {
                            for kx in 0..<g.kernel {
                                let iy = oy * g.stride - g.padTop + ky, ix = ox * g.stride - g.padLeft + kx
                                guard iy >= 0, iy < inShape.height, ix >= 0, ix < inShape.width else { continue }
                                for ci in 0..<inShape.channels {
                                    let xv = Double(x[s, (iy * inShape.width + ix) * inShape.channels + ci])
                                    sum += xv * Double(weights[(ky * g.kernel + kx) * inShape.channels + ci, co])
                                }
                            }
                        }
                        result.append(sum)
                    }
                }
            }
        }
        return result
    }

    @Test func samePaddingGivesCeilOutputAndTensorFlowPadding() {
        let g = ConvGeometry(input: ImageShape(height: 28, width: 27, channels: 1), outputChannels: 4, kernel: 3, stride: 2)
        #expect(g.output == ImageShape(height: 14, width: 14, channels: 4))
        #expect(g.padTop == 0 && g.padLeft == 1)
        let g5 = ConvGeometry(input: ImageShape(height: 7, width: 7, channels: 1), outputChannels: 1, kernel: 5, stride: 1)
        #expect(g5.output.height == 7 && g5.padTop == 2)
    }

    @Test func convForwardMatchesDirectConvolution() {
        var random = TestRandom(seed: 21)
        for (h, w, cin, cout, k, s) in Self.cases {
            let g = ConvGeometry(input: ImageShape(height: h, width: w, channels: cin), outputChannels: cout, kernel: k, stride: s)
            let parameters = [random.matrix(rows: g.patchSize, cols: cout), random.matrix(rows: 1, cols: cout)]
            let conv = NetworkOperation.Conv(geometry: g, weights: 0, bias: 1, relu: false)
            let x = random.matrix(rows: 2, cols: g.input.count)
            var columns = Matrix(rows: 0, cols: 0), y = Matrix(rows: 0, cols: 0)
            conv.forward(x, parameters: parameters, columns: &columns, into: &y)
            #expect(y.rows == 2 && y.cols == g.output.count)
            #expect(isClose(y, Self.naiveConv(x, g, weights: parameters[0], bias: parameters[1]), relative: 1e-5),
                    "h=\(h) w=\(w) cin=\(cin) cout=\(cout) k=\(k) s=\(s)")
        }
    }

    @Test func col2imIsTheAdjointOfIm2col() {
        // <im2col(x), c> == <x, col2im(c)> for random x and c: col2im is the exact transpose.
        var random = TestRandom(seed: 22)
        for (h, w, cin, cout, k, s) in Self.cases {
            let g = ConvGeometry(input: ImageShape(height: h, width: w, channels: cin), outputChannels: cout, kernel: k, stride: s)
            let x = random.matrix(rows: 2, cols: g.input.count)
            var columns = Matrix(rows: 0, cols: 0)
            Kernel.im2col(x, geometry: g, into: &columns)
            let c = random.matrix(rows: columns.rows, cols: columns.cols)
            var back = Matrix(rows: 0, cols: 0)
            Kernel.col2im(c, geometry: g, samples: 2, into: &back)
            let lhs = (0..<c.count).reduce(0.0) { $0 + Double(columns[flat: $1]) * Double(c[flat: $1]) }
            let rhs = (0..<x.count).reduce(0.0) { $0 + Double(x[flat: $1]) * Double(back[flat: $1]) }
            #expect(abs(lhs - rhs) < 1e-4 * (abs(lhs) + 1), "h=\(h) w=\(w) k=\(k) s=\(s)")
        }
    }

    @Test func parallelKernelsGiveBitIdenticalResults() {
        var random = TestRandom(seed: 25)
        let g = ConvGeometry(input: ImageShape(height: 9, width: 7, channels: 3), outputChannels: 4, kernel: 3, stride: 2)
        let x = random.matrix(rows: 7, cols: g.input.count)
        var serial = Matrix(rows: 0, cols: 0), parallel = Matrix(rows: 0, cols: 0)
        Kernel.im2col(x, geometry: g, into: &serial)
        Kernel.im2col(x, geometry: g, into: &parallel, parallelism: 3)
        #expect(serial == parallel)
        let c = random.matrix(rows: serial.rows, cols: serial.cols)
        var back1 = Matrix(rows: 0, cols: 0), back3 = Matrix(rows: 0, cols: 0)
        Kernel.col2im(c, geometry: g, samples: 7, into: &back1)
        Kernel.col2im(c, geometry: g, samples: 7, into: &back3, parallelism: 3)
        #expect(back1 == back3)
        var y1 = random.matrix(rows: 300, cols: 300), y2 = y1
        Kernel.reluInPlace(&y1)
        Kernel.reluInPlace(&y2, parallelism: 2)
        #expect(y1 == y2)
        var b1 = Matrix(rows: 600, cols: 5), b2 = b1
        let bias = random.matrix(rows: 1, cols: 5)
        Kernel.broadcastRows(bias, into: &b1)
        Kernel.broadcastRows(bias, into: &b2, parallelism: 2)
        #expect(b1 == b2 && b1[599, 4] == bias[0, 4])
    }

    @Test func convBackwardMatchesNaiveGradients() {
        // For loss = Σ y ⊙ r: dW = colsᵀ r, db = Σ r, dx = col2im(r Wᵀ), compared with the naive
        // conv's exact gradients obtained by linearity (perturbing one unit basis at a time is
        // replaced by reading the naive conv as a linear map).
        var random = TestRandom(seed: 23)
        for (h, w, cin, cout, k, s) in Self.cases where h * w <= 64 {
            let g = ConvGeometry(input: ImageShape(height: h, width: w, channels: cin), outputChannels: cout, kernel: k, stride: s)
            let parameters = [random.matrix(rows: g.patchSize, cols: cout), random.matrix(rows: 1, cols: cout)]
            let conv = NetworkOperation.Conv(geometry: g, weights: 0, bias: 1, relu: false)
            let x = random.matrix(rows: 2, cols: g.input.count)
            let r = random.matrix(rows: 2, cols: g.output.count)
            var columns = Matrix(rows: 0, cols: 0), y = Matrix(rows: 0, cols: 0)
            conv.forward(x, parameters: parameters, columns: &columns, into: &y)
            var gradients = parameters.map { Matrix(rows: $0.rows, cols: $0.cols) }
            var dx = Matrix(rows: 0, cols: 0)
            var rCopy = r
            conv.backward(input: x, output: y, outputGradient: &rCopy, parameters: parameters, columns: &columns, gradients: &gradients,
                          inputGradient: &dx, computeInputGradient: true)
            // The loss is linear in each of x, W, b, so the gradient entry i is loss(e_i) − loss(0).
            func loss(_ x: Matrix, _ wts: Matrix, _ b: Matrix) -> Double {
                let out = Self.naiveConv(x, g, weights: wts, bias: b)
                return out.indices.reduce(0.0) { $0 + out[$1] * Double(r[flat: $1]) }
            }
            let zeroW = Matrix(rows: g.patchSize, cols: cout), zeroB = Matrix(rows: 1, cols: cout), zeroX = Matrix(rows: 2, cols: g.input.count)
            let dW: [Double] = (0..<zeroW.count).map { i in var e = zeroW; e[flat: i] = 1; return loss(x, e, zeroB) }
            let db: [Double] = (0..<cout).map { i in var e = zeroB; e[flat: i] = 1; return loss(x, zeroW, e) }
            let dX: [Double] = (0..<zeroX.count).map { i in var e = zeroX; e[flat: i] = 1; return loss(e, parameters[0], zeroB) }
            #expect(isClose(gradients[0], dW, relative: 1e-5), "dW h=\(h) w=\(w) k=\(k) s=\(s)")
            #expect(isClose(gradients[1], db, relative: 1e-5), "db h=\(h) w=\(w) k=\(k) s=\(s)")
            #expect(isClose(dx, dX, relative: 1e-5), "dx h=\(h) w=\(w) k=\(k) s=\(s)")
        }
    }

    @Test func denseForwardAndBackwardMatchNaiveProducts() {
        var random = TestRandom(seed: 24)
        for (n, inputs, outputs) in [(1, 5, 3), (4, 1, 6), (3, 7, 1), (9, 13, 11)] {
            let parameters = [random.matrix(rows: inputs, cols: outputs), random.matrix(rows: 1, cols: outputs)]
            let dense = NetworkOperation.Dense(inputs: inputs, outputs: outputs, weights: 0, bias: 1, relu: false)
            let x = random.matrix(rows: n, cols: inputs), dy = random.matrix(rows: n, cols: outputs)
            var y = Matrix(rows: 0, cols: 0)
            dense.forward(x, parameters: parameters, into: &y)
            let xw = naiveProduct(x, .none, parameters[0], .none)
            #expect(isClose(y, xw.indices.map { xw[$0] + Double(parameters[1][flat: $0 % outputs]) }))
            var gradients = parameters.map { Matrix(rows: $0.rows, cols: $0.cols) }
            var dx = Matrix(rows: 0, cols: 0)
            var dyCopy = dy
            dense.backward(input: x, output: y, outputGradient: &dyCopy, parameters: parameters, gradients: &gradients,
                           inputGradient: &dx, computeInputGradient: true)
            #expect(isClose(gradients[0], naiveProduct(x, .transposed, dy, .none)))
            #expect(isClose(gradients[1], (0..<outputs).map { c in (0..<n).reduce(0.0) { $0 + Double(dy[$1, c]) } }))
            #expect(isClose(dx, naiveProduct(dy, .none, parameters[0], .transposed)))
        }
    }
}
