/// Depthwise convolution on channels-last images: each channel is convolved with its own
/// `k × k` filter (MobileNet's depthwise step, docs/ARCHITECTURE.md#mobilenet-family).
///
/// Shapes: `x` is `n × (h · w · C)`, the filters are `(k · k) × C` (row `ky · k + kx`, one column
/// per channel), the bias `1 × C`, `y` is `n × (h' · w' · C)`. Padding and output size follow
/// `ConvGeometry` (TensorFlow "SAME"), with `geometry.outputChannels == geometry.input.channels`.
/// Every inner loop runs over the channels, which are contiguous in memory.
extension Kernel {
    /// `y[s, oy, ox, c] = b[c] + Σ_{ky,kx} x[s, oy·stride − padTop + ky, ox·stride − padLeft + kx, c] · W[ky·k + kx, c]`,
    /// taps outside the image contributing zero.
    ///
    /// Samples are split across `parallelism` threads; each writes only its own rows, so the result
    /// does not depend on the thread count.
    ///
    /// - Complexity: `n · h' · w' · k² · C` multiply-adds.
    static func depthwiseConv(
        _ x: Matrix, geometry: ConvGeometry, weights: Matrix, bias: Matrix, into y: inout Matrix, parallelism: Int = 1
    ) {
        let channels = geometry.input.channels
        let k = geometry.kernel
        precondition(geometry.outputChannels == channels, "a depthwise conv keeps its \(channels) channels, got \(geometry.outputChannels) out")
        precondition(x.cols == geometry.input.count, "depthwise input has \(x.cols) columns, expected \(geometry.input)")
        precondition(weights.rows == k * k && weights.cols == channels, "depthwise filters are \(weights.rows)×\(weights.cols), expected \(k * k)×\(channels)")
        precondition(bias.rows == 1 && bias.cols == channels, "depthwise bias is \(bias.rows)×\(bias.cols), expected 1×\(channels)")
        let n = x.rows
        let input = geometry.input, output = geometry.output
        y.resize(rows: n, cols: output.count)
        x.withUnsafeElements { src in
            weights.withUnsafeElements { w in
                bias.withUnsafeElements { b in
                    y.withUnsafeMutableElements { out in
                        // Every buffer is non-empty here (no empty shapes), so the addresses exist.
                        guard let xs = src.baseAddress, let ws = w.baseAddress, let bs = b.baseAddress, let ys = out.baseAddress else { return }
                        forEachChunk(of: n, parallelism: parallelism) { samples in
                            for s in samples {
                                depthwiseSample(x: xs + s * input.count, weights: ws, bias: bs, y: ys + s * output.count, geometry: geometry)
                            }
                        }
                    }
                }
            }
        }
    }

    /// Gradients of `depthwiseConv` given `dy = ∂loss/∂y` (`n × (h' · w' · C)`):
    /// `dW[ky·k + kx, c] = Σ_{s,oy,ox} x[s, iy, ix, c] · dy[s, oy, ox, c]` (overwrites
    /// `weightGradient`) and, when asked, `dx[s, iy, ix, c] = Σ dy[s, oy, ox, c] · W[ky·k + kx, c]`
    /// over the outputs whose window covers `(iy, ix)`. The bias gradient is `columnSums` of `dy`
    /// viewed as `(n · h' · w') × C`.
    ///
    /// `dW` is split across threads by channel and `dx` by sample; each element is summed in the
    /// same order whatever the thread count.
    ///
    /// - Complexity: `2 · n · h' · w' · k² · C` multiply-adds (one for `dW`, one for `dx`).
    static func depthwiseConvBackward(
        _ dy: Matrix, input x: Matrix, geometry: ConvGeometry, weights: Matrix,
        weightGradient dw: inout Matrix, inputGradient dx: inout Matrix, computeInputGradient: Bool, parallelism: Int = 1
    ) {
        let channels = geometry.input.channels
        let k = geometry.kernel
        precondition(geometry.outputChannels == channels, "a depthwise conv keeps its \(channels) channels, got \(geometry.outputChannels) out")
        precondition(x.cols == geometry.input.count && dy.cols == geometry.output.count && x.rows == dy.rows,
                     "depthwise backward: input \(x.rows)×\(x.cols) and gradient \(dy.rows)×\(dy.cols) do not fit \(geometry.input) → \(geometry.output)")
        precondition(weights.rows == k * k && weights.cols == channels, "depthwise filters are \(weights.rows)×\(weights.cols), expected \(k * k)×\(channels)")
        let n = x.rows
        let input = geometry.input, output = geometry.output
        dw.resize(rows: k * k, cols: channels)
        x.withUnsafeElements { src in
            dy.withUnsafeElements { g in
                dw.withUnsafeMutableElements { out in
                    out.update(repeating: 0)
                    // Each thread owns a range of channels (columns of dW).
                    guard let xs = src.baseAddress, let gs = g.baseAddress, let dws = out.baseAddress else { return }
                    forEachChunk(of: channels, parallelism: parallelism, minimumChunk: 8) { part in
                        for s in 0..<n {
                            depthwiseWeightGradient(x: xs + s * input.count, dy: gs + s * output.count, dw: dws, channels: part, geometry: geometry)
                        }
                    }
                }
            }
        }
        guard computeInputGradient else { return }
        dx.resize(rows: n, cols: input.count)
        dy.withUnsafeElements { g in
            weights.withUnsafeElements { w in
                dx.withUnsafeMutableElements { out in
                    guard let gs = g.baseAddress, let ws = w.baseAddress, let dxs = out.baseAddress else { return }
                    forEachChunk(of: n, parallelism: parallelism) { samples in
                        for s in samples {
                            depthwiseInputGradient(dy: gs + s * output.count, weights: ws, dx: dxs + s * input.count, geometry: geometry)
                        }
                    }
                }
            }
        }
    }

    // The per-sample loops, on raw pointers whose extents the callers above checked: the inner
    // loop over channels then has no bounds checks and vectorises in release builds.

    /// `depthwiseConv` of one sample.
    private static func depthwiseSample(
        x: UnsafePointer<Float>, weights w: UnsafePointer<Float>, bias b: UnsafePointer<Float>,
        y: UnsafeMutablePointer<Float>, geometry: ConvGeometry
    ) {
        let input = geometry.input, output = geometry.output, channels = input.channels, k = geometry.kernel
        let stride = geometry.stride, padTop = geometry.padTop, padLeft = geometry.padLeft
        var o = 0
        for oy in 0..<output.height {
            for ox in 0..<output.width {
                for c in 0..<channels { y[o + c] = b[c] }
                for ky in 0..<k {
                    let iy = oy * stride - padTop + ky
                    guard iy >= 0 && iy < input.height else { continue }
                    for kx in 0..<k {
                        let ix = ox * stride - padLeft + kx
                        guard ix >= 0 && ix < input.width else { continue }
                        let i = (iy * input.width + ix) * channels
                        let tap = (ky * k + kx) * channels
                        multiplyAdd(into: y + o, x + i, w + tap, count: channels)
                    }
                }
                o += channels
            }
        }
    }

    /// Adds one sample's contribution to columns `channels` of `dw`.
    private static func depthwiseWeightGradient(
        x: UnsafePointer<Float>, dy g: UnsafePointer<Float>, dw: UnsafeMutablePointer<Float>,
        channels part: Range<Int>, geometry: ConvGeometry
    ) {
        let input = geometry.input, output = geometry.output, channels = input.channels, k = geometry.kernel
        let stride = geometry.stride, padTop = geometry.padTop, padLeft = geometry.padLeft
        var o = 0
        for oy in 0..<output.height {
            for ox in 0..<output.width {
                for ky in 0..<k {
                    let iy = oy * stride - padTop + ky
                    guard iy >= 0 && iy < input.height else { continue }
                    for kx in 0..<k {
                        let ix = ox * stride - padLeft + kx
                        guard ix >= 0 && ix < input.width else { continue }
                        let i = (iy * input.width + ix) * channels
                        let tap = (ky * k + kx) * channels
                        multiplyAdd(into: dw + tap + part.lowerBound, x + i + part.lowerBound, g + o + part.lowerBound, count: part.count)
                    }
                }
                o += channels
            }
        }
    }

    /// The input gradient of one sample (overwrites its `dx`).
    private static func depthwiseInputGradient(
        dy g: UnsafePointer<Float>, weights w: UnsafePointer<Float>, dx: UnsafeMutablePointer<Float>, geometry: ConvGeometry
    ) {
        let input = geometry.input, output = geometry.output, channels = input.channels, k = geometry.kernel
        let stride = geometry.stride, padTop = geometry.padTop, padLeft = geometry.padLeft
        dx.update(repeating: 0, count: input.count)
        var o = 0
        for oy in 0..<output.height {
            for ox in 0..<output.width {
                for ky in 0..<k {
                    let iy = oy * stride - padTop + ky
                    guard iy >= 0 && iy < input.height else { continue }
                    for kx in 0..<k {
                        let ix = ox * stride - padLeft + kx
                        guard ix >= 0 && ix < input.width else { continue }
                        let i = (iy * input.width + ix) * channels
                        let tap = (ky * k + kx) * channels
                        multiplyAdd(into: dx + i, g + o, w + tap, count: channels)
                    }
                }
                o += channels
            }
        }
    }

    /// `y[c] += a[c] · b[c]` for `c` in `0..<count`, sixteen lanes at a time: the channel loop of
    /// every depthwise step. Explicit vectors because the compiler kept the indexed loop scalar
    /// (checked index sums, and `y` might alias `a` or `b`); each lane multiplies, then adds, as the
    /// scalar loop does, so the bits are the same.
    @inline(__always)
    private static func multiplyAdd(into y: UnsafeMutablePointer<Float>, _ a: UnsafePointer<Float>, _ b: UnsafePointer<Float>, count: Int) {
        typealias Lanes = SIMD16<Float>
        let out = UnsafeMutableRawPointer(y), left = UnsafeRawPointer(a), right = UnsafeRawPointer(b)
        let stride = MemoryLayout<Float>.stride
        var c = 0
        while c + Lanes.scalarCount <= count {
            let offset = c * stride
            let product = left.loadUnaligned(fromByteOffset: offset, as: Lanes.self) * right.loadUnaligned(fromByteOffset: offset, as: Lanes.self)
            out.storeBytes(of: out.loadUnaligned(fromByteOffset: offset, as: Lanes.self) + product, toByteOffset: offset, as: Lanes.self)
            c += Lanes.scalarCount
        }
        while c < count {
            y[c] += a[c] * b[c]
            c += 1
        }
    }
}
