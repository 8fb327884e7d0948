/// One step of a network's forward pass. Parameters live in the network's `parameters` array;
/// an operation refers to them by index, so operations are immutable descriptors.
enum NetworkOperation: Sendable, Hashable {
    /// `y = x · W + b`, `W` of shape `inputs × outputs`, `b` of shape `1 × outputs`.
    case dense(Dense)
    /// Convolution by im2col + GEMM: `y = im2col(x) · W + b`, `W` of shape
    /// `(k · k · c) × c'`, channels-last.
    case conv(Conv)
    /// `y = max(x, 0)`.
    case relu
    /// Mean over the `positions` of each of `channels` channels.
    case globalAveragePool(positions: Int, channels: Int)

    struct Dense: Sendable, Hashable {
        let inputs: Int
        let outputs: Int
        let weights: Int
        let bias: Int
    }

    struct Conv: Sendable, Hashable {
        let geometry: ConvGeometry
        let weights: Int
        let bias: Int
    }
}

// MARK: - Forward

extension NetworkOperation.Dense {
    func forward(_ x: Matrix, parameters: [Matrix], into y: inout Matrix) {
        precondition(x.cols == inputs, "dense layer expects \(inputs) features, got \(x.cols)")
        y.resize(rows: x.rows, cols: outputs)
        Matrix.gemm(x, parameters[weights], into: &y)
        Kernel.addRowVector(parameters[bias], to: &y)
    }

    /// `dW = xᵀ · dy`, `db = Σ_rows dy`, and when asked `dx = dy · Wᵀ`.
    func backward(
        input x: Matrix, outputGradient dy: Matrix, parameters: [Matrix],
        gradients: inout [Matrix], inputGradient dx: inout Matrix, computeInputGradient: Bool
    ) {
        Matrix.gemm(x, dy, into: &gradients[weights], transposeA: .transposed)
        Kernel.columnSums(dy, into: &gradients[bias])
        if computeInputGradient {
            dx.resize(rows: x.rows, cols: inputs)
            Matrix.gemm(dy, parameters[weights], into: &dx, transposeB: .transposed)
        }
    }
}

extension NetworkOperation.Conv {
    /// `columns` keeps the im2col matrix for the backward pass.
    func forward(_ x: Matrix, parameters: [Matrix], columns: inout Matrix, into y: inout Matrix) {
        let n = x.rows
        Kernel.im2col(x, geometry: geometry, into: &columns)
        y.resize(rows: n * geometry.outputPositions, cols: geometry.outputChannels)
        Matrix.gemm(columns, parameters[weights], into: &y)
        Kernel.addRowVector(parameters[bias], to: &y)
        y.reshape(rows: n, cols: geometry.output.count)
    }

    /// `dW = colsᵀ · dy`, `db = Σ dy`, and when asked `dx = col2im(dy · Wᵀ)`; `columns` is
    /// overwritten with the column gradient.
    func backward(
        outputGradient dyImages: Matrix, parameters: [Matrix], columns: inout Matrix,
        gradients: inout [Matrix], inputGradient dx: inout Matrix, computeInputGradient: Bool
    ) {
        let n = dyImages.rows
        var dy = dyImages
        dy.reshape(rows: n * geometry.outputPositions, cols: geometry.outputChannels)
        Matrix.gemm(columns, dy, into: &gradients[weights], transposeA: .transposed)
        Kernel.columnSums(dy, into: &gradients[bias])
        if computeInputGradient {
            Matrix.gemm(dy, parameters[weights], into: &columns, transposeB: .transposed)
            Kernel.col2im(columns, geometry: geometry, samples: n, into: &dx)
        }
    }
}
