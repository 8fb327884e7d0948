import NASSpace

// MARK: - Max pooling

extension Kernel {
    /// Max pooling of channels-last images: `y[s, oy, ox, c]` is the maximum of
    /// `x[s, oy·size + dy, ox·size + dx, c]` over the window's positions inside the image.
    /// Windows do not overlap; one cut by the bottom or right border covers what remains
    /// (`ImageShape.downsampled(by:)`).
    static func maxPool(_ x: Matrix, input: ImageShape, size: Int, into y: inout Matrix, parallelism: Int = 1) {
        precondition(size > 0 && x.cols == input.count, "max pool input has \(x.cols) columns, expected \(input)")
        let output = input.downsampled(by: size)
        let n = x.rows, channels = input.channels
        y.resize(rows: n, cols: output.count)
        guard n > 0 else { return }  // no base address to load from
        x.withUnsafeElements { src in
            y.withUnsafeMutableElements { out in
                let source = UnsafeRawPointer(src.baseAddress!), target = UnsafeMutableRawPointer(out.baseAddress!)
                forEachChunk(of: n, parallelism: parallelism) { samples in
                    forEachWindow(samples: samples, input: input, output: output, size: size) { outputOffset, positions in
                        // Channels are innermost: eight at a time, then the rest one by one.
                        var c = 0
                        while c + 8 <= channels {
                            var best = Lanes.load(source, positions[0] + c)
                            for position in positions.dropFirst() {
                                // A mask select: the generic `pointwiseMax` is not vectorised.
                                let value = Lanes.load(source, position + c)
                                best.replace(with: value, where: value .> best)
                            }
                            Lanes.store(best, target, outputOffset + c)
                            c += 8
                        }
                        while c < channels {
                            var best = src[positions[0] + c]
                            for position in positions.dropFirst() { best = max(best, src[position + c]) }
                            out[outputOffset + c] = best
                            c += 1
                        }
                    }
                }
            }
        }
    }

    /// Max pooling backward: each output's gradient goes to the first position of its window (in
    /// row-major order) that holds the maximum; every other input gets zero. The maxima are found
    /// again from `x` and `y`, so the forward pass keeps no indices. Windows tile the image, so
    /// every input is written exactly once.
    static func maxPoolBackward(
        _ dy: Matrix, input x: Matrix, output y: Matrix, shape input: ImageShape, size: Int,
        into dx: inout Matrix, parallelism: Int = 1
    ) {
        let output = input.downsampled(by: size)
        precondition(x.cols == input.count && y.cols == output.count && dy.cols == output.count && dy.rows == x.rows,
                     "max pool backward shapes differ from \(input) → \(output)")
        let n = x.rows, channels = input.channels
        dx.resize(rows: n, cols: input.count)
        guard n > 0 else { return }  // no base address to load from
        x.withUnsafeElements { src in
            y.withUnsafeElements { pooled in
                dy.withUnsafeElements { g in
                    dx.withUnsafeMutableElements { out in
                        let source = UnsafeRawPointer(src.baseAddress!), maxima = UnsafeRawPointer(pooled.baseAddress!)
                        let gradient = UnsafeRawPointer(g.baseAddress!), target = UnsafeMutableRawPointer(out.baseAddress!)
                        forEachChunk(of: n, parallelism: parallelism) { samples in
                            forEachWindow(samples: samples, input: input, output: output, size: size) { outputOffset, positions in
                                // `pending` is the gradient not yet handed to a maximum of the window.
                                var c = 0
                                while c + 8 <= channels {
                                    let best = Lanes.load(maxima, outputOffset + c)
                                    var pending = Lanes.load(gradient, outputOffset + c)
                                    for position in positions {
                                        let isMaximum = Lanes.load(source, position + c) .== best
                                        Lanes.store(Lanes(repeating: 0).replacing(with: pending, where: isMaximum), target, position + c)
                                        pending.replace(with: 0, where: isMaximum)
                                    }
                                    c += 8
                                }
                                while c < channels {
                                    let best = pooled[outputOffset + c]
                                    var pending = g[outputOffset + c]
                                    for position in positions {
                                        let isMaximum = src[position + c] == best
                                        out[position + c] = isMaximum ? pending : 0
                                        if isMaximum { pending = 0 }
                                    }
                                    c += 1
                                }
                            }
                        }
                    }
                }
            }
        }
    }

    /// Eight channels of one position, loaded and stored without alignment requirements.
    private typealias Lanes = SIMD8<Float>

    /// Calls `body` for every output position of every sample in `samples`, with the element
    /// offset of its first channel in the output and the element offsets of the first channel of
    /// its window's input positions (row-major, at most `size²`).
    private static func forEachWindow(
        samples: Range<Int>, input: ImageShape, output: ImageShape, size: Int,
        _ body: (_ outputOffset: Int, _ positions: UnsafeBufferPointer<Int>) -> Void
    ) {
        let channels = input.channels
        withUnsafeTemporaryAllocation(of: Int.self, capacity: size * size) { positions in
            for s in samples {
                let image = s * input.count
                var outputOffset = s * output.count
                for oy in 0..<output.height {
                    for ox in 0..<output.width {
                        var count = 0
                        for iy in (oy * size)..<min((oy + 1) * size, input.height) {
                            for ix in (ox * size)..<min((ox + 1) * size, input.width) {
                                positions[count] = image + (iy * input.width + ix) * channels
                                count += 1
                            }
                        }
                        body(outputOffset, UnsafeBufferPointer(rebasing: positions[0..<count]))
                        outputOffset += channels
                    }
                }
            }
        }
    }
}

private extension SIMD8<Float> {
    static func load(_ base: UnsafeRawPointer, _ element: Int) -> Self {
        base.loadUnaligned(fromByteOffset: element * MemoryLayout<Float>.stride, as: Self.self)
    }

    static func store(_ value: Self, _ base: UnsafeMutableRawPointer, _ element: Int) {
        base.storeBytes(of: value, toByteOffset: element * MemoryLayout<Float>.stride, as: Self.self)
    }
}
