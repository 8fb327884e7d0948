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

    /// Sixteen lanes at a time (the compiler kept the scalar loops scalar); `min(max(v, 0), 6)`
    /// with the scalar loop's comparisons, so the bits are the same (a NaN becomes 0).
    private static func clipToSix(_ y: UnsafeMutablePointer<Float>, count: Int) {
        typealias Lanes = SIMD16<Float>
        let values = UnsafeMutableRawPointer(y), stride = MemoryLayout<Float>.stride
        var i = 0
        while i + Lanes.scalarCount <= count {
            var v = values.loadUnaligned(fromByteOffset: i * stride, as: Lanes.self)
            let positive = v .> 0
            v.replace(with: 6, where: positive .& .!(v .< 6))
            v.replace(with: 0, where: .!positive)
            values.storeBytes(of: v, toByteOffset: i * stride, as: Lanes.self)
            i += Lanes.scalarCount
        }
        while i < count {
            let v = y[i]
            y[i] = v > 0 ? (v < 6 ? v : 6) : 0
            i += 1
        }
    }

    private static func maskOutsideZeroToSix(_ g: UnsafeMutablePointer<Float>, output y: UnsafePointer<Float>, count: Int) {
        typealias Lanes = SIMD16<Float>
        let gradients = UnsafeMutableRawPointer(g), outputs = UnsafeRawPointer(y), stride = MemoryLayout<Float>.stride
        var i = 0
        while i + Lanes.scalarCount <= count {
            let output = outputs.loadUnaligned(fromByteOffset: i * stride, as: Lanes.self)
            var gradient = gradients.loadUnaligned(fromByteOffset: i * stride, as: Lanes.self)
            gradient.replace(with: 0, where: .!((output .> 0) .& (output .< 6)))
            gradients.storeBytes(of: gradient, toByteOffset: i * stride, as: Lanes.self)
            i += Lanes.scalarCount
        }
        while i < count {
            if !(y[i] > 0 && y[i] < 6) { g[i] = 0 }
            i += 1
        }
    }
}
