/// A convolution layer's forward and backward passes, split over the batch.
///
/// Each thread takes a contiguous chunk of the samples and works through it in blocks small enough
/// to stay in its core's cache: im2col of the block into the thread's own scratch rows, one
/// single-threaded GEMM, then bias and ReLU in one pass over the block's output while it is still
/// in cache. The backward pass unfolds each block again (cheaper than keeping the whole batch's
/// im2col matrix, 9× the input, which would leave the cache before it is read) and applies the ReLU
/// mask and bias sum in one pass, then the weight gradient (per chunk, summed in chunk order
/// afterwards) and the input gradient (GEMM, then col2im of the block).
///
/// Why not one GEMM over the whole batch with OpenBLAS's threads: the GEMMs of small convolutions
/// are thin (9 or 144 deep, 16 or 32 wide), OpenBLAS's threading gains little on them, and its
/// idle threads spin on `sched_yield` through the im2col, col2im and ReLU passes in between.
///
/// Results depend on the chunking (the weight gradient is summed per block, per chunk, then across
/// chunks in chunk order), which depends only on the batch size, the geometry and `parallelism`:
/// the same seed and thread count give bit-identical training.
extension Kernel {
    /// Bytes of im2col rows and output rows per block. Chosen so that a block fits a core's L2
    /// (1 MiB on the development machine, 1–2 MiB on most x86 servers) with room for the weights.
    /// Measured on the development machine (CNN c16k3p2-c32k3p2, batch 128): 128 KiB to 2 MiB
    /// within noise, 8 MiB about 20% more CPU time.
    static let convolutionBlockBytes = 512 << 10

    /// Samples per block of at most `blockBytes` for `g`: at least 1.
    static func convolutionBlockSamples(_ g: ConvGeometry, blockBytes: Int) -> Int {
        let bytesPerSample = g.outputPositions * (g.patchSize + g.outputChannels) * MemoryLayout<Float>.size
        return max(1, blockBytes / max(bytesPerSample, 1))
    }

    /// How `n` samples are cut: chunks (one per thread), samples per block, and scratch im2col rows
    /// per chunk.
    private static func convolutionSplit(_ g: ConvGeometry, samples n: Int, parallelism: Int, blockBytes: Int)
        -> (chunks: Int, blockSamples: Int, scratchRows: Int) {
        let chunks = chunkCount(of: n, parallelism: parallelism)
        let largestChunk = (n + chunks - 1) / chunks
        let blockSamples = min(convolutionBlockSamples(g, blockBytes: blockBytes), max(largestChunk, 1))
        return (chunks, blockSamples, blockSamples * g.outputPositions)
    }

    /// `y = act(im2col(x) · W + b)` with `act` ReLU when `relu`, else the identity.
    ///
    /// `x` is `n × (h · w · c)` channels-last, `weights` `(k · k · c) × c'`, `bias` `1 × c'`;
    /// `y` becomes `n × (h' · w' · c')`. `scratch` holds each thread's im2col block (its contents
    /// afterwards are unspecified; keeping it between calls saves the allocation).
    static func convolutionForward(
        _ x: Matrix, weights: Matrix, bias: Matrix, geometry g: ConvGeometry, relu: Bool,
        scratch: inout Matrix, into y: inout Matrix, parallelism: Int = 1, blockBytes: Int = convolutionBlockBytes
    ) {
        precondition(x.cols == g.input.count, "conv input has \(x.cols) columns, expected \(g.input)")
        precondition(weights.rows == g.patchSize && weights.cols == g.outputChannels && bias.rows == 1 && bias.cols == g.outputChannels,
                     "conv weights \(weights.rows)×\(weights.cols) and bias \(bias.rows)×\(bias.cols) do not fit \(g)")
        let n = x.rows
        let positions = g.outputPositions, patch = g.patchSize, outChannels = g.outputChannels
        y.resize(rows: n, cols: g.output.count)
        guard n > 0 else { return }
        let split = convolutionSplit(g, samples: n, parallelism: parallelism, blockBytes: blockBytes)
        scratch.resize(rows: split.chunks * split.scratchRows, cols: patch)
        x.withUnsafeElements { src in
            weights.withUnsafeElements { w in
                bias.withUnsafeElements { b in
                    scratch.withUnsafeMutableElements { scratchElements in
                        y.withUnsafeMutableElements { out in
                            forEachNumberedChunk(of: n, parallelism: parallelism) { chunk, samples in
                                let cols = scratchElements.baseAddress! + chunk * split.scratchRows * patch
                                var first = samples.lowerBound
                                while first < samples.upperBound {
                                    let block = first..<min(first + split.blockSamples, samples.upperBound)
                                    im2col(src, geometry: g, samples: block, into: cols)
                                    let rows = block.count * positions, row0 = block.lowerBound * positions
                                    sgemm(.none, .none, m: rows, n: outChannels, k: patch, a: cols, lda: patch, b: w.baseAddress!,
                                          ldb: outChannels, beta: 0, c: out.baseAddress! + row0 * outChannels, ldc: outChannels)
                                    addBias(b, rows: row0..<(row0 + rows), relu: relu, to: out)
                                    first = block.upperBound
                                }
                            }
                        }
                    }
                }
            }
        }
    }

    /// Backward of `convolutionForward` (`x` its input, `y` its output). With `g = dy · [y > 0]`
    /// (or `dy` without ReLU; `dy` is overwritten with `g`): `dW = im2col(x)ᵀ · g`, `db = Σ_rows g`,
    /// and when asked `dx = col2im(g · Wᵀ)`.
    ///
    /// `dW` and `db` are summed per chunk of samples and the chunks' sums added in chunk order.
    static func convolutionBackward(
        input x: Matrix, output y: Matrix, outputGradient dy: inout Matrix, weights: Matrix, geometry g: ConvGeometry, relu: Bool,
        scratch: inout Matrix, weightGradient: inout Matrix, biasGradient: inout Matrix,
        inputGradient dx: inout Matrix, computeInputGradient: Bool, parallelism: Int = 1,
        blockBytes: Int = convolutionBlockBytes
    ) {
        let n = dy.rows
        let positions = g.outputPositions, patch = g.patchSize, outChannels = g.outputChannels
        precondition(dy.cols == g.output.count && y.rows == n && y.cols == dy.cols, "conv output gradient does not fit \(g)")
        precondition(x.rows == n && x.cols == g.input.count, "conv input does not fit \(g) and \(n) samples")
        precondition(weightGradient.rows == patch && weightGradient.cols == outChannels && biasGradient.cols == outChannels,
                     "conv gradients do not fit \(g)")
        if computeInputGradient { dx.resize(rows: n, cols: g.input.count) }
        guard n > 0 else {
            weightGradient.fill(0)
            biasGradient.fill(0)
            return
        }
        let split = convolutionSplit(g, samples: n, parallelism: parallelism, blockBytes: blockBytes)
        scratch.resize(rows: split.chunks * split.scratchRows, cols: patch)
        // Per chunk: its weight gradient (patch × c'), then its bias gradient (c').
        let partialSize = patch * outChannels + outChannels
        var partials = [Float](repeating: 0, count: split.chunks * partialSize)
        x.withUnsafeElements { src in
            y.withUnsafeElements { activations in
                weights.withUnsafeElements { w in
                    dy.withUnsafeMutableElements { gradient in
                        scratch.withUnsafeMutableElements { scratchElements in
                            dx.withUnsafeMutableElements { inputGradient in
                                partials.withUnsafeMutableBufferPointer { partial in
                                    forEachNumberedChunk(of: n, parallelism: parallelism) { chunk, samples in
                                        let cols = scratchElements.baseAddress! + chunk * split.scratchRows * patch
                                        let weightPartial = partial.baseAddress! + chunk * partialSize
                                        let biasPartial = UnsafeMutableBufferPointer(
                                            rebasing: partial[(chunk * partialSize + patch * outChannels)..<((chunk + 1) * partialSize)])
                                        var first = samples.lowerBound
                                        while first < samples.upperBound {
                                            let block = first..<min(first + split.blockSamples, samples.upperBound)
                                            let rows = block.count * positions, row0 = block.lowerBound * positions
                                            let blockGradient = gradient.baseAddress! + row0 * outChannels
                                            maskAndSum(gradient, output: activations, rows: row0..<(row0 + rows), width: outChannels,
                                                       relu: relu, into: biasPartial)
                                            im2col(src, geometry: g, samples: block, into: cols)
                                            sgemm(.transposed, .none, m: patch, n: outChannels, k: rows, a: cols, lda: patch,
                                                  b: blockGradient, ldb: outChannels,
                                                  beta: first == samples.lowerBound ? 0 : 1, c: weightPartial, ldc: outChannels)
                                            if computeInputGradient {
                                                sgemm(.none, .transposed, m: rows, n: patch, k: outChannels, a: blockGradient, lda: outChannels,
                                                      b: w.baseAddress!, ldb: outChannels, beta: 0, c: cols, ldc: patch)
                                                col2im(cols, geometry: g, samples: block, into: inputGradient)
                                            }
                                            first = block.upperBound
                                        }
                                    }
                                }
                            }
                        }
                    }
                }
            }
        }
        // Chunk 0's sums, then each further chunk's added in order.
        weightGradient.withUnsafeMutableElements { dW in
            biasGradient.withUnsafeMutableElements { db in
                for i in 0..<(patch * outChannels) { dW[i] = partials[i] }
                for c in 0..<outChannels { db[c] = partials[patch * outChannels + c] }
                for chunk in 1..<split.chunks {
                    let base = chunk * partialSize
                    for i in 0..<(patch * outChannels) { dW[i] += partials[base + i] }
                    for c in 0..<outChannels { db[c] += partials[base + patch * outChannels + c] }
                }
            }
        }
    }

    /// `out[r, c] ← act(out[r, c] + bias[c])` for the rows `rows` of a row-major matrix with
    /// `bias.count` columns; `act` is ReLU when `relu`.
    static func addBias(_ bias: UnsafeBufferPointer<Float>, rows: Range<Int>, relu: Bool, to out: UnsafeMutableBufferPointer<Float>) {
        let width = bias.count
        precondition(out.count >= rows.upperBound * width, "bias rows \(rows) outside the output")
        guard !rows.isEmpty, width > 0 else { return }
        // Pointer loops, so that the compiler vectorises them (no checked index sums).
        let b = bias.baseAddress!
        for r in rows {
            let row = out.baseAddress! + r * width
            if relu {
                for c in 0..<width { let v = row[c] + b[c]; row[c] = v > 0 ? v : 0 }
            } else {
                for c in 0..<width { row[c] += b[c] }
            }
        }
    }

    /// ReLU backward and bias gradient in one pass over rows `rows` (each `width` wide):
    /// `g ← g · [y > 0]` when `relu`, and `sums[c] += Σ_r g[r, c]`.
    static func maskAndSum(
        _ g: UnsafeMutableBufferPointer<Float>, output y: UnsafeBufferPointer<Float>, rows: Range<Int>, width: Int, relu: Bool,
        into sums: UnsafeMutableBufferPointer<Float>
    ) {
        precondition(sums.count == width && g.count >= rows.upperBound * width && y.count >= rows.upperBound * width,
                     "bias gradient or rows \(rows) do not fit width \(width)")
        guard !rows.isEmpty, width > 0 else { return }
        typealias Lanes = SIMD8<Float>
        let sum = UnsafeMutableRawPointer(sums.baseAddress!)
        let stride = MemoryLayout<Float>.stride
        for r in rows {
            let gradient = UnsafeMutableRawPointer(g.baseAddress! + r * width)
            let output = UnsafeRawPointer(y.baseAddress! + r * width)
            // Eight lanes at a time with explicit vectors: the compiler does not vectorise the
            // scalar loop, as `sums` might alias `g`.
            var c = 0
            while c + 8 <= width {
                var v = gradient.loadUnaligned(fromByteOffset: c * stride, as: Lanes.self)
                if relu {
                    v.replace(with: 0, where: .!(output.loadUnaligned(fromByteOffset: c * stride, as: Lanes.self) .> 0))
                    gradient.storeBytes(of: v, toByteOffset: c * stride, as: Lanes.self)
                }
                let total = sum.loadUnaligned(fromByteOffset: c * stride, as: Lanes.self) + v
                sum.storeBytes(of: total, toByteOffset: c * stride, as: Lanes.self)
                c += 8
            }
            while c < width {
                var v = gradient.load(fromByteOffset: c * stride, as: Float.self)
                if relu, !(output.load(fromByteOffset: c * stride, as: Float.self) > 0) {
                    v = 0
                    gradient.storeBytes(of: v, toByteOffset: c * stride, as: Float.self)
                }
                sum.storeBytes(of: sum.load(fromByteOffset: c * stride, as: Float.self) + v, toByteOffset: c * stride, as: Float.self)
                c += 1
            }
        }
    }

    /// `y[r, c] ← act(y[r, c] + bias[c])` for every row, `act` ReLU when `relu`: a dense layer's
    /// epilogue after its GEMM, split over rows.
    static func addBias(_ bias: Matrix, to y: inout Matrix, relu: Bool, parallelism: Int = 1) {
        precondition(bias.rows == 1 && bias.cols == y.cols, "bias is \(bias.rows)×\(bias.cols), expected 1×\(y.cols)")
        let rows = y.rows
        bias.withUnsafeElements { b in
            y.withUnsafeMutableElements { out in
                // Rows of at least 32 KiB per thread: smaller ones are not worth a thread hop.
                forEachChunk(of: rows, parallelism: parallelism, minimumChunk: max(1, (1 << 13) / max(b.count, 1))) { chunk in
                    addBias(b, rows: chunk, relu: relu, to: out)
                }
            }
        }
    }

    /// `g ← g · [y > 0]` when `relu`, and `sums = Σ_rows g`: a dense layer's ReLU backward and
    /// bias gradient in one pass, in row order.
    static func maskAndSum(_ g: inout Matrix, output y: Matrix, relu: Bool, into sums: inout Matrix) {
        precondition(y.rows == g.rows && y.cols == g.cols, "ReLU output \(y.rows)×\(y.cols) and gradient \(g.rows)×\(g.cols) differ")
        precondition(sums.rows == 1 && sums.cols == g.cols, "sums is \(sums.rows)×\(sums.cols), expected 1×\(g.cols)")
        sums.fill(0)
        let rows = g.rows, width = g.cols
        y.withUnsafeElements { output in
            g.withUnsafeMutableElements { gradient in
                sums.withUnsafeMutableElements { total in
                    maskAndSum(gradient, output: output, rows: 0..<rows, width: width, relu: relu, into: total)
                }
            }
        }
    }
}
