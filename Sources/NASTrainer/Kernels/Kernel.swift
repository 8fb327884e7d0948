import Foundation

/// The element-wise and data-movement kernels of the network, on raw buffers.
///
/// Each function checks its dimensions with `precondition` and touches memory only through
/// buffer pointers that live inside one closure. Everything above this folder is safe Swift.
enum Kernel {}

// MARK: - Bias

extension Kernel {
    /// `y[r, c] = bias[c]` for every row: the starting value of `y = x · W + b` computed as a
    /// GEMM with `beta = 1` (one pass instead of zeroing and then adding).
    static func broadcastRows(_ bias: Matrix, into y: inout Matrix, parallelism: Int = 1) {
        precondition(bias.rows == 1 && bias.cols == y.cols, "bias is \(bias.rows)×\(bias.cols), expected 1×\(y.cols)")
        let rows = y.rows, cols = y.cols
        bias.withUnsafeElements { b in
            y.withUnsafeMutableElements { out in
                forEachChunk(of: rows, parallelism: parallelism, minimumChunk: 256) { chunk in
                for r in chunk {
                    _ = UnsafeMutableBufferPointer(rebasing: out[(r * cols)..<((r + 1) * cols)]).update(fromContentsOf: b)
                }
                }
            }
        }
    }

    /// `sums[c] = Σ_r x[r, c]`: the bias gradient of an `m × n` output gradient.
    static func columnSums(_ x: Matrix, into sums: inout Matrix) {
        precondition(sums.rows == 1 && sums.cols == x.cols, "sums is \(sums.rows)×\(sums.cols), expected 1×\(x.cols)")
        let rows = x.rows, cols = x.cols
        x.withUnsafeElements { src in
            sums.withUnsafeMutableElements { out in
                out.update(repeating: 0)
                for r in 0..<rows {
                    let base = r * cols
                    for c in 0..<cols { out[c] += src[base + c] }
                }
            }
        }
    }
}

// MARK: - ReLU

extension Kernel {
    /// `y ← max(y, 0)` element-wise, in place (ReLU fused after a layer's GEMM).
    static func reluInPlace(_ y: inout Matrix, parallelism: Int = 1) {
        y.withUnsafeMutableElements { out in
            forEachChunk(of: out.count, parallelism: parallelism, minimumChunk: 1 << 15) { chunk in
                for i in chunk { out[i] = out[i] > 0 ? out[i] : 0 }
            }
        }
    }

    /// ReLU backward, in place: `dy ← dy · [y > 0]` where `y` is the ReLU's output.
    static func reluBackwardInPlace(output y: Matrix, gradient dy: inout Matrix, parallelism: Int = 1) {
        precondition(y.rows == dy.rows && y.cols == dy.cols, "ReLU output \(y.rows)×\(y.cols) and gradient \(dy.rows)×\(dy.cols) differ")
        y.withUnsafeElements { out in
            dy.withUnsafeMutableElements { g in
                forEachChunk(of: out.count, parallelism: parallelism, minimumChunk: 1 << 15) { chunk in
                    for i in chunk { g[i] = out[i] > 0 ? g[i] : 0 }
                }
            }
        }
    }
}

// MARK: - Global average pooling

extension Kernel {
    /// Global average pooling: `y[n, c] = (1 / P) Σ_p x[n, p · C + c]` over the `P` positions of
    /// each channels-last image.
    static func globalAveragePool(_ x: Matrix, positions: Int, channels: Int, into y: inout Matrix) {
        precondition(positions > 0 && channels > 0 && x.cols == positions * channels, "GAP input has \(x.cols) columns, expected \(positions)×\(channels)")
        let n = x.rows
        y.resize(rows: n, cols: channels)
        let scale = 1 / Float(positions)
        x.withUnsafeElements { src in
            y.withUnsafeMutableElements { out in
                out.update(repeating: 0)
                for s in 0..<n {
                    let inBase = s * positions * channels
                    let outBase = s * channels
                    for p in 0..<positions {
                        let row = inBase + p * channels
                        for c in 0..<channels { out[outBase + c] += src[row + c] }
                    }
                    for c in 0..<channels { out[outBase + c] *= scale }
                }
            }
        }
    }

    /// GAP backward: `dx[n, p · C + c] = dy[n, c] / P`.
    static func globalAveragePoolBackward(_ dy: Matrix, positions: Int, into dx: inout Matrix) {
        precondition(positions > 0, "GAP needs at least one position")
        let n = dy.rows, channels = dy.cols
        dx.resize(rows: n, cols: positions * channels)
        let scale = 1 / Float(positions)
        dy.withUnsafeElements { g in
            dx.withUnsafeMutableElements { out in
                for s in 0..<n {
                    let outBase = s * positions * channels
                    for p in 0..<positions {
                        let row = outBase + p * channels
                        for c in 0..<channels { out[row + c] = g[s * channels + c] * scale }
                    }
                }
            }
        }
    }
}

// MARK: - Softmax cross-entropy

extension Kernel {
    /// Mean softmax cross-entropy of `logits` (`n × classes`) against `labels`, its gradient and
    /// the number of rows whose arg-max is the label.
    ///
    /// `p = softmax(z)` computed stably (`exp(z − max z)`), `loss = −(1/n) Σ log p[label]`
    /// (accumulated in `Double`), `∂loss/∂z = (p − onehot(label)) / n`. Non-finite logits give a
    /// non-finite loss, which the caller reports as divergence.
    static func softmaxCrossEntropy(
        logits: Matrix, labels: ArraySlice<UInt8>, gradient: inout Matrix
    ) -> (loss: Double, correct: Int) {
        let n = logits.rows, classes = logits.cols
        precondition(labels.count == n, "\(labels.count) labels for \(n) logit rows")
        precondition(classes > 0, "softmax needs at least one class")
        gradient.resize(rows: n, cols: classes)
        let invN = 1 / Float(n)
        var loss = 0.0
        var correct = 0
        logits.withUnsafeElements { z in
            gradient.withUnsafeMutableElements { g in
                var labelIndex = labels.startIndex
                for r in 0..<n {
                    let label = Int(labels[labelIndex])
                    labelIndex += 1
                    precondition(label < classes, "label \(label) outside \(classes) classes")
                    let base = r * classes
                    var best = 0
                    var maxValue = z[base]
                    for c in 1..<classes where z[base + c] > maxValue {
                        maxValue = z[base + c]
                        best = c
                    }
                    if best == label { correct += 1 }
                    var sum: Float = 0
                    for c in 0..<classes {
                        let e = Foundation.exp(z[base + c] - maxValue)
                        g[base + c] = e
                        sum += e
                    }
                    let invSum = 1 / sum
                    for c in 0..<classes { g[base + c] *= invSum * invN }
                    loss -= Double(z[base + label] - maxValue) - Foundation.log(Double(sum))
                    g[base + label] -= invN
                }
            }
        }
        return (loss / Double(n), correct)
    }

    /// Number of rows of `logits` whose arg-max equals the label.
    static func correctPredictions(logits: Matrix, labels: ArraySlice<UInt8>) -> Int {
        let n = logits.rows, classes = logits.cols
        precondition(labels.count == n, "\(labels.count) labels for \(n) logit rows")
        var correct = 0
        logits.withUnsafeElements { z in
            var labelIndex = labels.startIndex
            for r in 0..<n {
                let base = r * classes
                var best = 0
                for c in 1..<classes where z[base + c] > z[base + best] { best = c }
                if best == Int(labels[labelIndex]) { correct += 1 }
                labelIndex += 1
            }
        }
        return correct
    }
}

// MARK: - Data movement

extension Kernel {
    /// Copies rows `indices` of the row-major `source` (rows of `rowLength`) into `batch`, which
    /// becomes `indices.count × rowLength`.
    static func gatherRows(_ source: [Float], rowLength: Int, indices: ArraySlice<Int>, into batch: inout Matrix) {
        precondition(rowLength > 0 && source.count % rowLength == 0, "source of \(source.count) is not rows of \(rowLength)")
        let sourceRows = source.count / rowLength
        batch.resize(rows: indices.count, cols: rowLength)
        source.withUnsafeBufferPointer { src in
            batch.withUnsafeMutableElements { out in
                for (r, index) in indices.enumerated() {
                    precondition(index >= 0 && index < sourceRows, "row \(index) outside \(sourceRows) rows")
                    let from = UnsafeBufferPointer(rebasing: src[(index * rowLength)..<((index + 1) * rowLength)])
                    let to = UnsafeMutableBufferPointer(rebasing: out[(r * rowLength)..<((r + 1) * rowLength)])
                    _ = to.initialize(fromContentsOf: from)
                }
            }
        }
    }

    /// `bytes[offset...]` as floats scaled to [0, 1] (`b / 255`).
    static func normalizedPixels(_ bytes: [UInt8], from offset: Int) -> [Float] {
        precondition(offset >= 0 && offset <= bytes.count, "offset \(offset) outside \(bytes.count) bytes")
        let count = bytes.count - offset
        return [Float](unsafeUninitializedCapacity: count) { out, initialized in
            bytes.withUnsafeBufferPointer { src in
                let scale: Float = 1 / 255
                for i in 0..<count { out[i] = Float(src[offset + i]) * scale }
            }
            initialized = count
        }
    }
}

