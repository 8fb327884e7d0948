/// ReLU6, `min(max(v, 0), 6)`: the activation of MobileNetV2's expand and depthwise steps
/// (docs/ARCHITECTURE.md#mobilenet-family).
extension Kernel {
    /// `y ← min(max(y, 0), 6)` element-wise, in place.
    static func relu6InPlace(_ y: inout Matrix, parallelism: Int = 1) {
        y.withUnsafeMutableElements { out in
            forEachChunk(of: out.count, parallelism: parallelism, minimumChunk: 1 << 15) { chunk in
                for i in chunk { out[i] = min(max(out[i], 0), 6) }
            }
        }
    }

    /// ReLU6 backward, in place: `dy ← dy · [0 < y < 6]` where `y` is the ReLU6's output (the
    /// derivative is taken as 0 at both kinks, as PyTorch does).
    static func relu6BackwardInPlace(output y: Matrix, gradient dy: inout Matrix, parallelism: Int = 1) {
        precondition(y.count == dy.count, "ReLU6 output has \(y.count) values, gradient \(dy.count)")
        y.withUnsafeElements { out in
            dy.withUnsafeMutableElements { g in
                forEachChunk(of: out.count, parallelism: parallelism, minimumChunk: 1 << 15) { chunk in
                    for i in chunk { g[i] = out[i] > 0 && out[i] < 6 ? g[i] : 0 }
                }
            }
        }
    }
}
