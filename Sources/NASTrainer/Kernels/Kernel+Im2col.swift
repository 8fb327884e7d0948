extension Kernel {
    /// im2col: unfolds each output position's receptive field into one row.
    ///
    /// `input` is `n × (h · w · c)` (channels-last images); `columns` becomes
    /// `(n · h' · w') × (k · k · c)` with row `(s, oy, ox)` holding
    /// `x[s, oy·stride − padTop + ky, ox·stride − padLeft + kx, ch]` at column `(ky · k + kx) · c + ch`,
    /// zero outside the image. A convolution is then `columns · W` with `W` of shape
    /// `(k · k · c) × c'`.
    static func im2col(_ input: Matrix, geometry g: ConvGeometry, into columns: inout Matrix, parallelism: Int = 1) {
        precondition(input.cols == g.input.count, "im2col input has \(input.cols) columns, expected \(g.input)")
        let n = input.rows
        columns.resize(rows: n * g.outputPositions, cols: g.patchSize)
        input.withUnsafeElements { src in
            columns.withUnsafeMutableElements { out in
                forEachChunk(of: n, parallelism: parallelism) { samples in
                    im2col(src, geometry: g, samples: samples, into: out)
                }
            }
        }
    }

    /// The im2col rows of `samples` only: reads those images of the channels-last batch `src` and
    /// writes their rows of the whole batch's column matrix `out` (rows `samples.lowerBound · h' · w'`
    /// onwards), nothing else. Lets a caller unfold a block of samples and use it while it is in
    /// cache.
    static func im2col(_ src: UnsafeBufferPointer<Float>, geometry g: ConvGeometry, samples: Range<Int>,
                       into out: UnsafeMutableBufferPointer<Float>) {
        let inShape = g.input, outShape = g.output
        let k = g.kernel, stride = g.stride, channels = inShape.channels
        let patch = g.patchSize
        precondition(src.count >= samples.upperBound * inShape.count && out.count >= samples.upperBound * g.outputPositions * patch,
                     "im2col buffers too small for samples \(samples)")
        let padTop = g.padTop, padLeft = g.padLeft
        let h = inShape.height, w = inShape.width
        guard !samples.isEmpty else { return }
        let source = src.baseAddress!, target = out.baseAddress!
        var row = samples.lowerBound * g.outputPositions
        for s in samples {
            let image = s * inShape.count
            for oy in 0..<outShape.height {
                for ox in 0..<outShape.width {
                    let rowBase = row * patch
                    // Kernel columns kx in kxLow..<kxHigh fall inside the image; for one ky they
                    // are contiguous in both the image and the column row.
                    let ix0 = ox * stride - padLeft
                    let kxLow = max(0, -ix0), kxHigh = min(k, w - ix0)
                    for ky in 0..<k {
                        let iy = oy * stride - padTop + ky
                        // Pointer loops: indexing with checked `Int` sums would keep the compiler
                        // from vectorising them; runs are short (3 values for a 3×3 kernel on one
                        // channel), where a library copy costs more than it moves.
                        let dst = target + rowBase + ky * k * channels
                        guard iy >= 0 && iy < h && kxLow < kxHigh else {
                            for j in 0..<(k * channels) { dst[j] = 0 }
                            continue
                        }
                        for j in 0..<(kxLow * channels) { dst[j] = 0 }
                        let from = source + image + (iy * w + ix0 + kxLow) * channels
                        let run = (kxHigh - kxLow) * channels
                        let to = dst + kxLow * channels
                        for j in 0..<run { to[j] = from[j] }
                        for j in (kxHigh * channels)..<(k * channels) { dst[j] = 0 }
                    }
                    row += 1
                }
            }
        }
    }

    /// col2im, the adjoint of `im2col`: sums each column entry back into the input position it
    /// was copied from. `inputGradient` becomes `n × (h · w · c)`.
    static func col2im(_ columns: Matrix, geometry g: ConvGeometry, samples n: Int, into inputGradient: inout Matrix, parallelism: Int = 1) {
        precondition(columns.rows == n * g.outputPositions && columns.cols == g.patchSize,
                     "col2im columns are \(columns.rows)×\(columns.cols), expected \(n * g.outputPositions)×\(g.patchSize)")
        inputGradient.resize(rows: n, cols: g.input.count)
        columns.withUnsafeElements { src in
            inputGradient.withUnsafeMutableElements { out in
                forEachChunk(of: n, parallelism: parallelism) { samples in
                    col2im(src, geometry: g, samples: samples, into: out)
                }
            }
        }
    }

    /// col2im of `samples` only: overwrites those images of the channels-last gradient batch `out`
    /// with the sums of their rows of the whole batch's column matrix `src`.
    static func col2im(_ src: UnsafeBufferPointer<Float>, geometry g: ConvGeometry, samples: Range<Int>,
                       into out: UnsafeMutableBufferPointer<Float>) {
        let inShape = g.input, outShape = g.output
        let k = g.kernel, stride = g.stride, channels = inShape.channels
        let patch = g.patchSize
        precondition(src.count >= samples.upperBound * g.outputPositions * patch && out.count >= samples.upperBound * inShape.count,
                     "col2im buffers too small for samples \(samples)")
        let padTop = g.padTop, padLeft = g.padLeft
        let h = inShape.height, w = inShape.width
        let region = (samples.lowerBound * inShape.count)..<(samples.upperBound * inShape.count)
        UnsafeMutableBufferPointer(rebasing: out[region]).update(repeating: 0)
        guard !samples.isEmpty else { return }
        let source = src.baseAddress!, target = out.baseAddress!
        var row = samples.lowerBound * g.outputPositions
        for s in samples {
            let image = s * inShape.count
            for oy in 0..<outShape.height {
                for ox in 0..<outShape.width {
                    let rowBase = row * patch
                    let ix0 = ox * stride - padLeft
                    let kxLow = max(0, -ix0), kxHigh = min(k, w - ix0)
                    guard kxLow < kxHigh else { row += 1; continue }
                    let run = (kxHigh - kxLow) * channels
                    for ky in 0..<k {
                        let iy = oy * stride - padTop + ky
                        guard iy >= 0 && iy < h else { continue }
                        let from = source + rowBase + (ky * k + kxLow) * channels
                        let to = target + image + (iy * w + ix0 + kxLow) * channels
                        for j in 0..<run { to[j] += from[j] }
                    }
                    row += 1
                }
            }
        }
    }
}
