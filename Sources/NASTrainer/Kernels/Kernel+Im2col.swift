extension Kernel {
    /// im2col: unfolds each output position's receptive field into one row.
    ///
    /// `input` is `n × (h · w · c)` (channels-last images); `columns` becomes
    /// `(n · h' · w') × (k · k · c)` with row `(s, oy, ox)` holding
    /// `x[s, oy·stride − padTop + ky, ox·stride − padLeft + kx, ch]` at column `(ky · k + kx) · c + ch`,
    /// zero outside the image. A convolution is then `columns · W` with `W` of shape
    /// `(k · k · c) × c'`.
    static func im2col(_ input: Matrix, geometry g: ConvGeometry, into columns: inout Matrix, parallelism: Int = 1) {
        let inShape = g.input, outShape = g.output
        precondition(input.cols == inShape.count, "im2col input has \(input.cols) columns, expected \(inShape)")
        let n = input.rows
        let k = g.kernel, stride = g.stride, channels = inShape.channels
        let patch = g.patchSize
        columns.resize(rows: n * g.outputPositions, cols: patch)
        let padTop = g.padTop, padLeft = g.padLeft
        let h = inShape.height, w = inShape.width
        input.withUnsafeElements { src in
            columns.withUnsafeMutableElements { out in
                forEachChunk(of: n, parallelism: parallelism) { samples in
                var row = samples.lowerBound * g.outputPositions
                for s in samples {
                    let image = s * inShape.count
                    for oy in 0..<outShape.height {
                        for ox in 0..<outShape.width {
                            let rowBase = row * patch
                            // Kernel columns kx in kxLow..<kxHigh fall inside the image; for one
                            // ky they are contiguous in both the image and the column row.
                            let ix0 = ox * stride - padLeft
                            let kxLow = max(0, -ix0), kxHigh = min(k, w - ix0)
                            for ky in 0..<k {
                                let iy = oy * stride - padTop + ky
                                let dst = rowBase + ky * k * channels
                                guard iy >= 0 && iy < h && kxLow < kxHigh else {
                                    for j in 0..<(k * channels) { out[dst + j] = 0 }
                                    continue
                                }
                                for j in 0..<(kxLow * channels) { out[dst + j] = 0 }
                                let from = image + (iy * w + ix0 + kxLow) * channels
                                let run = (kxHigh - kxLow) * channels
                                let to = dst + kxLow * channels
                                _ = UnsafeMutableBufferPointer(rebasing: out[to..<(to + run)])
                                    .update(fromContentsOf: UnsafeBufferPointer(rebasing: src[from..<(from + run)]))
                                for j in (kxHigh * channels)..<(k * channels) { out[dst + j] = 0 }
                            }
                            row += 1
                        }
                    }
                }
                }
            }
        }
    }

    /// col2im, the adjoint of `im2col`: sums each column entry back into the input position it
    /// was copied from. `inputGradient` becomes `n × (h · w · c)`.
    static func col2im(_ columns: Matrix, geometry g: ConvGeometry, samples n: Int, into inputGradient: inout Matrix, parallelism: Int = 1) {
        let inShape = g.input, outShape = g.output
        let k = g.kernel, stride = g.stride, channels = inShape.channels
        let patch = g.patchSize
        precondition(columns.rows == n * g.outputPositions && columns.cols == patch,
                     "col2im columns are \(columns.rows)×\(columns.cols), expected \(n * g.outputPositions)×\(patch)")
        inputGradient.resize(rows: n, cols: inShape.count)
        let padTop = g.padTop, padLeft = g.padLeft
        let h = inShape.height, w = inShape.width
        columns.withUnsafeElements { src in
            inputGradient.withUnsafeMutableElements { out in
                forEachChunk(of: n, parallelism: parallelism) { samples in
                let region = (samples.lowerBound * inShape.count)..<(samples.upperBound * inShape.count)
                UnsafeMutableBufferPointer(rebasing: out[region]).update(repeating: 0)
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
                                let from = rowBase + (ky * k + kxLow) * channels
                                let to = image + (iy * w + ix0 + kxLow) * channels
                                for j in 0..<run { out[to + j] += src[from + j] }
                            }
                            row += 1
                        }
                    }
                }
                }
            }
        }
    }
}
