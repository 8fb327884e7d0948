/// One step of a network's forward pass. Parameters live in the network's `parameters` array;
/// an operation refers to them by index, so operations are immutable descriptors.
///
/// Hidden layers apply ReLU to their output in place (`relu: true`); the classifier head does not.
import NASSpace

enum NetworkOperation: Sendable, Hashable {
    /// `y = x · W + b` (then ReLU), `W` of shape `inputs × outputs`, `b` of shape `1 × outputs`.
    case dense(Dense)
    /// Convolution by im2col + GEMM: `y = im2col(x) · W + b` (then ReLU), `W` of shape
    /// `(k · k · c) × c'`, channels-last.
    case conv(Conv)
    /// Max over non-overlapping `size × size` windows of each channels-last `input` image.
    case maxPool(input: ImageShape, size: Int)
    /// Mean over the `positions` of each of `channels` channels.
    case globalAveragePool(positions: Int, channels: Int)
    /// A MobileNetV2 inverted residual block (`NetworkOperation+InvertedResidual.swift`).
    case invertedResidual(InvertedResidual)

    struct Dense: Sendable, Hashable {
        let inputs: Int
        let outputs: Int
        let weights: Int
        let bias: Int
        let relu: Bool
    }

    struct Conv: Sendable, Hashable {
        let geometry: ConvGeometry
        let weights: Int
        let bias: Int
        let relu: Bool
    }
}

// MARK: - Dense

extension NetworkOperation.Dense {
    /// `y = x · W + b`, then ReLU: the GEMM (split over threads by `Matrix.parallelGemm`), then
    /// bias and ReLU in one pass over `y`.
    func forward(_ x: Matrix, parameters: [Matrix], into y: inout Matrix, parallelism: Int = 1) {
        precondition(x.cols == inputs, "dense layer expects \(inputs) features, got \(x.cols)")
        y.resize(rows: x.rows, cols: outputs)
        guard x.rows > 0 else { return }
        Matrix.parallelGemm(x, parameters[weights], into: &y, parallelism: parallelism)
        Kernel.addBias(parameters[bias], to: &y, relu: relu, parallelism: parallelism)
    }

    /// With `g = dy · [y > 0]` (or `dy` without ReLU; `dy` is overwritten with `g`):
    /// `dW = xᵀ · g`, `db = Σ_rows g` (mask and sum in one pass), and when asked `dx = g · Wᵀ`.
    func backward(
        input x: Matrix, output y: Matrix, outputGradient dy: inout Matrix, parameters: [Matrix],
        gradients: inout [Matrix], inputGradient dx: inout Matrix, computeInputGradient: Bool, parallelism: Int = 1
    ) {
        Kernel.maskAndSum(&dy, output: y, relu: relu, into: &gradients[bias])
        Matrix.parallelGemm(x, dy, into: &gradients[weights], transposeA: .transposed, parallelism: parallelism)
        if computeInputGradient {
            dx.resize(rows: x.rows, cols: inputs)
            Matrix.parallelGemm(dy, parameters[weights], into: &dx, transposeB: .transposed, parallelism: parallelism)
        }
    }
}

// MARK: - Conv

extension NetworkOperation.Conv {
    /// `y = im2col(x) · W + b`, then ReLU, split over the batch (`Kernel.convolutionForward`).
    /// `columns` is the threads' im2col scratch space.
    func forward(_ x: Matrix, parameters: [Matrix], columns: inout Matrix, into y: inout Matrix, parallelism: Int = 1) {
        Kernel.convolutionForward(x, weights: parameters[weights], bias: parameters[bias], geometry: geometry, relu: relu,
                                  scratch: &columns, into: &y, parallelism: parallelism)
    }

    /// With `g = dy · [y > 0]` (`dy` is overwritten with `g`): `dW = im2col(x)ᵀ · g`, `db = Σ g`,
    /// and when asked `dx = col2im(g · Wᵀ)` (`Kernel.convolutionBackward`).
    func backward(
        input x: Matrix, output y: Matrix, outputGradient dy: inout Matrix, parameters: [Matrix], columns: inout Matrix,
        gradients: inout [Matrix], inputGradient dx: inout Matrix, computeInputGradient: Bool, parallelism: Int = 1
    ) {
        // Take the two gradients out of the array (no copy) so both can be written at once.
        var dW = Matrix(rows: 0, cols: 0), db = Matrix(rows: 0, cols: 0)
        swap(&dW, &gradients[weights])
        swap(&db, &gradients[bias])
        defer {
            swap(&dW, &gradients[weights])
            swap(&db, &gradients[bias])
        }
        Kernel.convolutionBackward(input: x, output: y, outputGradient: &dy, weights: parameters[weights], geometry: geometry, relu: relu,
                                   scratch: &columns, weightGradient: &dW, biasGradient: &db,
                                   inputGradient: &dx, computeInputGradient: computeInputGradient, parallelism: parallelism)
    }
}
