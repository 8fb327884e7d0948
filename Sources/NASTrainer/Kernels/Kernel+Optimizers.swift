import Foundation

extension Kernel {
    /// One SGD step with heavy-ball momentum and L2 weight decay (PyTorch's formulation):
    /// `g ← ∇ + λ·w`, `v ← μ·v + g`, `w ← w − η·v`.
    ///
    /// Element-wise, so splitting the elements over `parallelism` threads does not change the
    /// result.
    static func sgdStep(
        weights: inout Matrix, gradient: Matrix, velocity: inout Matrix,
        learningRate: Float, momentum: Float, weightDecay: Float, parallelism: Int = 1
    ) {
        precondition(weights.count == gradient.count && weights.count == velocity.count, "SGD buffers differ in size")
        gradient.withUnsafeElements { grad in
            velocity.withUnsafeMutableElements { v in
                weights.withUnsafeMutableElements { w in
                    forEachChunk(of: w.count, parallelism: parallelism, minimumChunk: 1 << 15) { chunk in
                        for i in chunk {
                            let g = grad[i] + weightDecay * w[i]
                            let vi = momentum * v[i] + g
                            v[i] = vi
                            w[i] -= learningRate * vi
                        }
                    }
                }
            }
        }
    }

    /// One Adam step (Kingma & Ba, 2015, Algorithm 1) with L2 weight decay added to the gradient:
    /// `g ← ∇ + λ·w`, `m ← β₁m + (1−β₁)g`, `v ← β₂v + (1−β₂)g²`,
    /// `w ← w − η · (m / (1−β₁ᵗ)) / (√(v / (1−β₂ᵗ)) + ε)`.
    ///
    /// Element-wise, so splitting the elements over `parallelism` threads does not change the
    /// result.
    static func adamStep(
        weights: inout Matrix, gradient: Matrix, firstMoment: inout Matrix, secondMoment: inout Matrix,
        learningRate: Float, weightDecay: Float, step t: Int,
        beta1: Float = 0.9, beta2: Float = 0.999, epsilon: Float = 1e-8, parallelism: Int = 1
    ) {
        precondition(t >= 1, "Adam steps count from 1")
        precondition(weights.count == gradient.count && weights.count == firstMoment.count && weights.count == secondMoment.count,
                     "Adam buffers differ in size")
        let correction1 = 1 - Float(Foundation.pow(Double(beta1), Double(t)))
        let correction2 = 1 - Float(Foundation.pow(Double(beta2), Double(t)))
        gradient.withUnsafeElements { grad in
            firstMoment.withUnsafeMutableElements { m in
                secondMoment.withUnsafeMutableElements { v in
                    weights.withUnsafeMutableElements { w in
                        forEachChunk(of: w.count, parallelism: parallelism, minimumChunk: 1 << 15) { chunk in
                            for i in chunk {
                                let g = grad[i] + weightDecay * w[i]
                                let mi = beta1 * m[i] + (1 - beta1) * g
                                let vi = beta2 * v[i] + (1 - beta2) * g * g
                                m[i] = mi
                                v[i] = vi
                                w[i] -= learningRate * (mi / correction1) / ((vi / correction2).squareRoot() + epsilon)
                            }
                        }
                    }
                }
            }
        }
    }
}
