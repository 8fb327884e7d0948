/// ReLU6, `min(max(v, 0), 6)`: the activation of MobileNetV2's expand and depthwise steps
/// (docs/ARCHITECTURE.md#mobilenet-family).
extension Kernel {
    /// `y ← min(max(y, 0), 6)` element-wise, in place.
    static func relu6InPlace(_ y: inout Matrix, parallelism: Int = 1) {
        y.withUnsafeMutableElements { out in
            guard let base = out.baseAddress else { return }
            forEachChunk(of: out.count, parallelism: parallelism, minimumChunk: 1 << 15) { chunk in
                clipToSix(base + chunk.lowerBound, count: chunk.count)
            }
        }
    }

    /// ReLU6 backward, in place: `dy ← dy · [0 < y < 6]` where `y` is the ReLU6's output (the
    /// derivative is taken as 0 at both kinks, as PyTorch does).
    static func relu6BackwardInPlace(output y: Matrix, gradient dy: inout Matrix, parallelism: Int = 1) {
        precondition(y.count == dy.count, "ReLU6 output has \(y.count) values, gradient \(dy.count)")
        y.withUnsafeElements { out in
            dy.withUnsafeMutableElements { g in
                guard let outputs = out.baseAddress, let gradients = g.baseAddress else { return }
                forEachChunk(of: out.count, parallelism: parallelism, minimumChunk: 1 << 15) { chunk in
                    maskOutsideZeroToSix(gradients + chunk.lowerBound, output: outputs + chunk.lowerBound, count: chunk.count)
                }
            }
        }
    }

    private static func clipToSix(_ y: UnsafeMutablePointer<Float>, count: Int) {
        for i in 0..<count {
            let v = y[i]
            y[i] = v > 0 ? (v < 6 ? v : 6) : 0
        }
    }

    private static func maskOutsideZeroToSix(_ g: UnsafeMutablePointer<Float>, output y: UnsafePointer<Float>, count: Int) {
        for i in 0..<count where !(y[i] > 0 && y[i] < 6) { g[i] = 0 }
    }
}
