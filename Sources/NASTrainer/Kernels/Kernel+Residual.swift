/// The residual connection of an inverted residual block (docs/ARCHITECTURE.md#mobilenet-family):
/// the forward pass adds the block's input to its output, the backward pass adds the output
/// gradient to the input gradient. Both are `y ← y + x`.
extension Kernel {
    /// `y ← y + x` element-wise; `x` and `y` have the same number of elements (their row/column
    /// split may differ: a feature map viewed per sample or per position).
    static func addInPlace(_ x: Matrix, into y: inout Matrix, parallelism: Int = 1) {
        precondition(x.count == y.count, "cannot add \(x.count) values to \(y.count)")
        x.withUnsafeElements { src in
            y.withUnsafeMutableElements { out in
                guard let xs = src.baseAddress, let ys = out.baseAddress else { return }
                forEachChunk(of: out.count, parallelism: parallelism, minimumChunk: 1 << 15) { chunk in
                    add(xs + chunk.lowerBound, into: ys + chunk.lowerBound, count: chunk.count)
                }
            }
        }
    }

    private static func add(_ x: UnsafePointer<Float>, into y: UnsafeMutablePointer<Float>, count: Int) {
        for i in 0..<count { y[i] += x[i] }
    }
}
