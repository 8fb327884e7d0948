import NASSpace

// MARK: - Max pooling

extension Kernel {
    /// Output image of `size × size` max pooling on `input`: windows do not overlap, and a window
    /// cut by the bottom or right border covers what remains (side = ceil(side / size)).
    static func maxPoolOutput(input: ImageShape, size: Int) -> ImageShape {
        ImageShape(height: (input.height + size - 1) / size, width: (input.width + size - 1) / size, channels: input.channels)
    }

    /// Max pooling of channels-last images: `y[s, oy, ox, c]` is the maximum of
    /// `x[s, oy·size + dy, ox·size + dx, c]` over the window's positions inside the image.
    /// Channels are innermost, so each window position is one contiguous, vectorisable run.
    static func maxPool(_ x: Matrix, input: ImageShape, size: Int, into y: inout Matrix, parallelism: Int = 1) {
        precondition(size > 0 && x.cols == input.count, "max pool input has \(x.cols) columns, expected \(input)")
        let output = maxPoolOutput(input: input, size: size)
        let n = x.rows, channels = input.channels
        y.resize(rows: n, cols: output.count)
        x.withUnsafeElements { src in
            y.withUnsafeMutableElements { out in
                forEachChunk(of: n, parallelism: parallelism) { samples in
                    for s in samples {
                        let image = s * input.count
                        var target = s * output.count
                        for oy in 0..<output.height {
                            for ox in 0..<output.width {
                                var first = true
                                for iy in (oy * size)..<min((oy + 1) * size, input.height) {
                                    for ix in (ox * size)..<min((ox + 1) * size, input.width) {
                                        let from = image + (iy * input.width + ix) * channels
                                        if first {
                                            for c in 0..<channels { out[target + c] = src[from + c] }
                                            first = false
                                        } else {
                                            for c in 0..<channels { out[target + c] = max(out[target + c], src[from + c]) }
                                        }
                                    }
                                }
                                target += channels
                            }
                        }
                    }
                }
            }
        }
    }

    /// Max pooling backward: each output's gradient goes to the first position of its window (in
    /// row-major order) that holds the maximum; every other input gets zero. The maxima are found
    /// again from `x` and `y`, so the forward pass keeps no indices.
    static func maxPoolBackward(
        _ dy: Matrix, input x: Matrix, output y: Matrix, shape input: ImageShape, size: Int,
        into dx: inout Matrix, parallelism: Int = 1
    ) {
        let output = maxPoolOutput(input: input, size: size)
        precondition(x.cols == input.count && y.cols == output.count && dy.cols == output.count && dy.rows == x.rows,
                     "max pool backward shapes differ from \(input) → \(output)")
        let n = x.rows, channels = input.channels
        dx.resize(rows: n, cols: input.count)
        x.withUnsafeElements { src in
            y.withUnsafeElements { pooled in
                dy.withUnsafeElements { g in
                    dx.withUnsafeMutableElements { out in
                        forEachChunk(of: n, parallelism: parallelism) { samples in
                            // The gradient of each channel not yet handed to a maximum of the window.
                            var pending = [Float](repeating: 0, count: channels)
                            for s in samples {
                                let image = s * input.count
                                var target = s * output.count
                                for oy in 0..<output.height {
                                    for ox in 0..<output.width {
                                        for c in 0..<channels { pending[c] = g[target + c] }
                                        // Windows tile the image, so this writes every input once.
                                        for iy in (oy * size)..<min((oy + 1) * size, input.height) {
                                            for ix in (ox * size)..<min((ox + 1) * size, input.width) {
                                                let at = image + (iy * input.width + ix) * channels
                                                for c in 0..<channels {
                                                    let isMaximum = src[at + c] == pooled[target + c]
                                                    out[at + c] = isMaximum ? pending[c] : 0
                                                    if isMaximum { pending[c] = 0 }
                                                }
                                            }
                                        }
                                        target += channels
                                    }
                                }
                            }
                        }
                    }
                }
            }
        }
    }
}
