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
                    guard !samples.isEmpty else { return }
                    im2col(src, geometry: g, samples: samples, into: out.baseAddress! + samples.lowerBound * g.outputPositions * g.patchSize)
                }
            }
        }
    }

    /// The im2col rows of `samples` only: reads those images of the channels-last batch `src` and
    /// writes their `samples.count · h' · w'` rows, `k · k · c` values each, from `target` on.
    /// Lets a caller unfold a block of samples into a small buffer and use it while it is in cache.
    static func im2col(_ src: UnsafeBufferPointer<Float>, geometry g: ConvGeometry, samples: Range<Int>,
                       into target: UnsafeMutablePointer<Float>) {
        precondition(src.count >= samples.upperBound * g.input.count, "im2col input too small for samples \(samples)")
        guard !samples.isEmpty else { return }
        let source = src.baseAddress!
        let span = InteriorSpan(g)
        let channels = g.input.channels, segment = g.kernel * channels, patch = g.patchSize
        let outHeight = g.output.height, outWidth = g.output.width
        // Plain constants: `ConvGeometry`'s padding and output are computed properties.
        let kernel = g.kernel, stride = g.stride, padTop = g.padTop, padLeft = g.padLeft
        let height = g.input.height, width = g.input.width, imageSize = g.input.count
        // Loop order sample, output row, kernel row, output column: for one kernel row the image
        // row is fixed, and in the interior columns each segment is one contiguous run of
        // `k · c` values. Pointer loops with wrapping arithmetic: checked `Int` sums would keep the
        // compiler from vectorising them.
        for s in samples {
            let image = source + (s &* imageSize)
            let sampleRows = target + ((s &- samples.lowerBound) &* outHeight &* outWidth &* patch)
            for oy in 0..<outHeight {
                let rows = sampleRows + (oy &* outWidth &* patch)
                for ky in 0..<kernel {
                    let iy = oy &* stride &- padTop &+ ky
                    let segments = rows + ky &* segment
                    guard iy >= 0 && iy < height else {
                        for ox in 0..<outWidth {
                            let dst = segments + ox &* patch
                            for j in 0..<segment { dst[j] = 0 }
                        }
                        continue
                    }
                    let imageRow = image + iy &* width &* channels
                    for ox in 0..<outWidth {
                        let dst = segments + ox &* patch
                        let ix0 = ox &* stride &- padLeft
                        if span.contains(ox) {
                            let from = imageRow + ix0 &* channels
                            for j in 0..<segment { dst[j] = from[j] }
                        } else {
                            // Kernel columns kxLow..<kxHigh fall inside the image.
                            let kxLow = max(0, -ix0), kxHigh = max(kxLow, min(kernel, width &- ix0))
                            for j in 0..<(kxLow &* channels) { dst[j] = 0 }
                            let from = imageRow + (ix0 &+ kxLow) &* channels
                            for j in 0..<((kxHigh &- kxLow) &* channels) { dst[kxLow &* channels &+ j] = from[j] }
                            for j in (kxHigh &* channels)..<segment { dst[j] = 0 }
                        }
                    }
                }
            }
        }
    }

    /// The output columns `ox` whose kernel window lies inside the image horizontally.
    private struct InteriorSpan {
        let first: Int, end: Int

        init(_ g: ConvGeometry) {
            // ox · stride − padLeft ≥ 0 and ox · stride − padLeft + k ≤ w.
            first = (g.padLeft + g.stride - 1) / g.stride
            let limit = g.input.width - g.kernel + g.padLeft
            end = limit < 0 ? first : max(first, limit / g.stride + 1)
        }

        func contains(_ ox: Int) -> Bool { ox >= first && ox < end }
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
                    guard !samples.isEmpty else { return }
                    col2im(src.baseAddress! + samples.lowerBound * g.outputPositions * g.patchSize, geometry: g, samples: samples, into: out)
                }
            }
        }
    }

    /// col2im of `samples` only: overwrites those images of the channels-last gradient batch `out`
    /// with the sums of their `samples.count · h' · w'` column rows, which start at `source`.
    static func col2im(_ source: UnsafePointer<Float>, geometry g: ConvGeometry, samples: Range<Int>,
                       into out: UnsafeMutableBufferPointer<Float>) {
        precondition(out.count >= samples.upperBound * g.input.count, "col2im output too small for samples \(samples)")
        let region = (samples.lowerBound * g.input.count)..<(samples.upperBound * g.input.count)
        UnsafeMutableBufferPointer(rebasing: out[region]).update(repeating: 0)
        guard !samples.isEmpty else { return }
        let target = out.baseAddress!
        let channels = g.input.channels, segment = g.kernel * channels, patch = g.patchSize
        let outHeight = g.output.height, outWidth = g.output.width
        let kernel = g.kernel, stride = g.stride, padTop = g.padTop, padLeft = g.padLeft
        let height = g.input.height, width = g.input.width, imageSize = g.input.count
        // The loops of `im2col`, with the copy reversed into a sum.
        for s in samples {
            let image = target + (s &* imageSize)
            let sampleRows = source + ((s &- samples.lowerBound) &* outHeight &* outWidth &* patch)
            for oy in 0..<outHeight {
                let rows = sampleRows + (oy &* outWidth &* patch)
                for ky in 0..<kernel {
                    let iy = oy &* stride &- padTop &+ ky
                    guard iy >= 0 && iy < height else { continue }
                    let segments = rows + ky &* segment
                    let imageRow = image + iy &* width &* channels
                    for ox in 0..<outWidth {
                        let from = segments + ox &* patch
                        let ix0 = ox &* stride &- padLeft
                        let kxLow = max(0, -ix0), kxHigh = max(kxLow, min(kernel, width &- ix0))
                        let to = imageRow + (ix0 &+ kxLow) &* channels
                        let start = from + kxLow &* channels
                        for j in 0..<((kxHigh &- kxLow) &* channels) { to[j] += start[j] }
                    }
                }
            }
        }
    }
}
