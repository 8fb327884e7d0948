import Foundation

extension Kernel {
    /// One SGD step with heavy-ball momentum and L2 weight decay (PyTorch's formulation):
    /// `g ← ∇ + λ·w`, `v ← μ·v + g`, `w ← w − η·v`.
    ///
    /// Element-wise, so splitting the elements over `parallelism` threads does not change the
    /// result; the vector lanes compute exactly what the scalar formula does, element by element.
    static func sgdStep(
        weights: inout Matrix, gradient: Matrix, velocity: inout Matrix,
        learningRate: Float, momentum: Float, weightDecay: Float, parallelism: Int = 1
    ) {
        precondition(weights.count == gradient.count && weights.count == velocity.count, "SGD buffers differ in size")
        gradient.withUnsafeElements { grad in
            velocity.withUnsafeMutableElements { v in
                weights.withUnsafeMutableElements { w in
                    forEachChunk(of: w.count, parallelism: parallelism, minimumChunk: 1 << 15) { chunk in
                        sgdStep(weights: w, gradient: grad, velocity: v, elements: chunk,
                                learningRate: learningRate, momentum: momentum, weightDecay: weightDecay)
                    }
                }
            }
        }
    }

    /// `sgdStep` on `elements` of the three buffers, sixteen lanes at a time. Explicit vectors:
    /// the compiler does not vectorise the scalar loop (the buffers might alias), which left the
    /// step at about a tenth of the small MLP's training time.
    private static func sgdStep(
        weights w: UnsafeMutableBufferPointer<Float>, gradient grad: UnsafeBufferPointer<Float>,
        velocity v: UnsafeMutableBufferPointer<Float>, elements: Range<Int>,
        learningRate: Float, momentum: Float, weightDecay: Float
    ) {
        precondition(elements.upperBound <= w.count, "elements \(elements) outside \(w.count) weights")
        guard !elements.isEmpty else { return }
        typealias Lanes = SIMD16<Float>
        let weights = UnsafeMutableRawPointer(w.baseAddress!), velocity = UnsafeMutableRawPointer(v.baseAddress!)
        let gradient = UnsafeRawPointer(grad.baseAddress!)
        let stride = MemoryLayout<Float>.stride
        var i = elements.lowerBound
        while i + Lanes.scalarCount <= elements.upperBound {
            let offset = i * stride
            let wi = weights.loadUnaligned(fromByteOffset: offset, as: Lanes.self)
            let g = gradient.loadUnaligned(fromByteOffset: offset, as: Lanes.self) + weightDecay * wi
            let vi = momentum * velocity.loadUnaligned(fromByteOffset: offset, as: Lanes.self) + g
            velocity.storeBytes(of: vi, toByteOffset: offset, as: Lanes.self)
            weights.storeBytes(of: wi - learningRate * vi, toByteOffset: offset, as: Lanes.self)
            i += Lanes.scalarCount
        }
        while i < elements.upperBound {
            let g = grad[i] + weightDecay * w[i]
            let vi = momentum * v[i] + g
            v[i] = vi
            w[i] -= learningRate * vi
            i += 1
        }
    }

    /// One Adam step (Kingma & Ba, 2015, Algorithm 1) with L2 weight decay added to the gradient:
    /// `g ← ∇ + λ·w`, `m ← β₁m + (1−β₁)g`, `v ← β₂v + (1−β₂)g²`,
    /// `w ← w − η · (m / (1−β₁ᵗ)) / (√(v / (1−β₂ᵗ)) + ε)`.
    ///
    /// Element-wise, so splitting the elements over `parallelism` threads does not change the
    /// result; the vector lanes compute exactly what the scalar formula does, element by element.
    static func adamStep(
        weights: inout Matrix, gradient: Matrix, firstMoment: inout Matrix, secondMoment: inout Matrix,
        learningRate: Float, weightDecay: Float, step t: Int,
        beta1: Float = 0.9, beta2: Float = 0.999, epsilon: Float = 1e-8, parallelism: Int = 1
    ) {
        precondition(t >= 1, "Adam steps count from 1")
        precondition(weights.count == gradient.count && weights.count == firstMoment.count && weights.count == secondMoment.count,
                     "Adam buffers differ in size")
        let constants = AdamConstants(
            learningRate: learningRate, weightDecay: weightDecay, beta1: beta1, beta2: beta2, epsilon: epsilon,
            correction1: 1 - Float(Foundation.pow(Double(beta1), Double(t))),
            correction2: 1 - Float(Foundation.pow(Double(beta2), Double(t))))
        gradient.withUnsafeElements { grad in
            firstMoment.withUnsafeMutableElements { m in
                secondMoment.withUnsafeMutableElements { v in
                    weights.withUnsafeMutableElements { w in
                        forEachChunk(of: w.count, parallelism: parallelism, minimumChunk: 1 << 15) { chunk in
                            adamStep(weights: w, gradient: grad, firstMoment: m, secondMoment: v, elements: chunk, constants)
                        }
                    }
                }
            }
        }
    }

    private struct AdamConstants {
        let learningRate, weightDecay, beta1, beta2, epsilon, correction1, correction2: Float
    }

    /// `adamStep` on `elements` of the four buffers, sixteen lanes at a time (see `sgdStep`).
    private static func adamStep(
        weights w: UnsafeMutableBufferPointer<Float>, gradient grad: UnsafeBufferPointer<Float>,
        firstMoment m: UnsafeMutableBufferPointer<Float>, secondMoment v: UnsafeMutableBufferPointer<Float>,
        elements: Range<Int>, _ k: AdamConstants
    ) {
        precondition(elements.upperBound <= w.count, "elements \(elements) outside \(w.count) weights")
        guard !elements.isEmpty else { return }
        typealias Lanes = SIMD16<Float>
        let weights = UnsafeMutableRawPointer(w.baseAddress!), gradient = UnsafeRawPointer(grad.baseAddress!)
        let first = UnsafeMutableRawPointer(m.baseAddress!), second = UnsafeMutableRawPointer(v.baseAddress!)
        let stride = MemoryLayout<Float>.stride
        var i = elements.lowerBound
        while i + Lanes.scalarCount <= elements.upperBound {
            let offset = i * stride
            let wi = weights.loadUnaligned(fromByteOffset: offset, as: Lanes.self)
            let g = gradient.loadUnaligned(fromByteOffset: offset, as: Lanes.self) + k.weightDecay * wi
            let mi = k.beta1 * first.loadUnaligned(fromByteOffset: offset, as: Lanes.self) + (1 - k.beta1) * g
            let vi = k.beta2 * second.loadUnaligned(fromByteOffset: offset, as: Lanes.self) + (1 - k.beta2) * g * g
            first.storeBytes(of: mi, toByteOffset: offset, as: Lanes.self)
            second.storeBytes(of: vi, toByteOffset: offset, as: Lanes.self)
            let step = k.learningRate * (mi / k.correction1) / ((vi / k.correction2).squareRoot() + k.epsilon)
            weights.storeBytes(of: wi - step, toByteOffset: offset, as: Lanes.self)
            i += Lanes.scalarCount
        }
        while i < elements.upperBound {
            let g = grad[i] + k.weightDecay * w[i]
            let mi = k.beta1 * m[i] + (1 - k.beta1) * g
            let vi = k.beta2 * v[i] + (1 - k.beta2) * g * g
            m[i] = mi
            v[i] = vi
            w[i] -= k.learningRate * (mi / k.correction1) / ((vi / k.correction2).squareRoot() + k.epsilon)
            i += 1
        }
    }
}
