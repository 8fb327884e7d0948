import NASSpace

extension NetworkOperation {
    /// One MobileNetV2 inverted residual block as a single operation (docs/ARCHITECTURE.md#mobilenet-family):
    /// `E = ReLU6(x · We + be)` (a 1×1 conv on channels-last data is a GEMM on the
    /// `(n · h · w) × cin` view; skipped when the expansion is 1, then `E = x`),
    /// `D = ReLU6(depthwise(E) + bd)`, `y = D · Wp + bp` (linear bottleneck), plus `x` when
    /// `residual`.
    ///
    /// Keeping the block whole keeps `Network` a plain sequence: the residual needs the block's
    /// input at its end, and the intermediate maps live in the block's `Buffers`.
    struct InvertedResidual: Sendable, Hashable {
        /// The block's input map (`cin` channels).
        let input: ImageShape
        /// The depthwise step, on `hidden = cin · expansion` channels.
        let depthwise: ConvGeometry
        /// Output channels.
        let outputChannels: Int
        /// Parameter indices of the expand conv (`cin × hidden`, `1 × hidden`); `nil` at expansion 1.
        let expand: Parameters?
        /// Parameter indices of the depthwise filters (`k² × hidden`) and bias.
        let depthwiseWeights: Int
        let depthwiseBias: Int
        /// Parameter indices of the projection (`hidden × cout`, `1 × cout`).
        let projectWeights: Int
        let projectBias: Int
        /// Whether the input is added to the output (stride 1, `cin == cout`).
        let residual: Bool

        /// The block's output map.
        var output: ImageShape { depthwise.output.downsampled(by: 1, channels: outputChannels) }
        var hidden: Int { depthwise.input.channels }

        /// The indices of a weight matrix and its bias in the network's parameters.
        struct Parameters: Sendable, Hashable {
            let weights: Int
            let bias: Int
        }

        /// The block's intermediate maps, kept from `forward` for `backward`, and their gradients.
        struct Buffers {
            /// `E`, `n × (h · w · hidden)` (empty at expansion 1).
            var expanded = Matrix(rows: 0, cols: 0)
            /// `D`, `(n · h' · w') × hidden`.
            var depthwise = Matrix(rows: 0, cols: 0)
            /// `∂loss/∂E` (before the ReLU6 backward: `∂loss/∂(xWe + be)`).
            var expandedGradient = Matrix(rows: 0, cols: 0)
            /// `∂loss/∂D`, then `∂loss/∂(depthwise(E) + bd)`.
            var depthwiseGradient = Matrix(rows: 0, cols: 0)
        }

        /// Runs the block on `x` (`n × (h · w · cin)`) into `y` (`n × (h' · w' · cout)`).
        func forward(_ x: Matrix, parameters: [Matrix], buffers: inout Buffers, into y: inout Matrix, parallelism: Int = 1) {
            precondition(x.cols == input.count, "inverted residual block expects \(input) inputs, got \(x.cols) columns")
            let n = x.rows
            let positions = depthwise.outputPositions
            if let expand {
                var pixels = x
                pixels.reshape(rows: n * input.height * input.width, cols: input.channels)
                buffers.expanded.resize(rows: pixels.rows, cols: hidden)
                Kernel.broadcastRows(parameters[expand.bias], into: &buffers.expanded, parallelism: parallelism)
                Matrix.parallelGemm(pixels, parameters[expand.weights], into: &buffers.expanded, beta: 1, parallelism: parallelism)
                Kernel.relu6InPlace(&buffers.expanded, parallelism: parallelism)
                buffers.expanded.reshape(rows: n, cols: depthwise.input.count)
            }
            Kernel.depthwiseConv(expand == nil ? x : buffers.expanded, geometry: depthwise,
                                 weights: parameters[depthwiseWeights], bias: parameters[depthwiseBias],
                                 into: &buffers.depthwise, parallelism: parallelism)
            Kernel.relu6InPlace(&buffers.depthwise, parallelism: parallelism)
            buffers.depthwise.reshape(rows: n * positions, cols: hidden)
            y.resize(rows: n * positions, cols: outputChannels)
            Kernel.broadcastRows(parameters[projectBias], into: &y, parallelism: parallelism)
            Matrix.parallelGemm(buffers.depthwise, parameters[projectWeights], into: &y, beta: 1, parallelism: parallelism)
            y.reshape(rows: n, cols: output.count)
            if residual { Kernel.addInPlace(x, into: &y, parallelism: parallelism) }
        }

        /// Back-propagates `dy` (`∂loss/∂y`, left unchanged) through the last `forward` on `x`:
        /// `dWp = Dᵀ · dy`, `dbp = Σ dy`, `dD = dy · Wpᵀ · [0 < D < 6]`, the depthwise gradients,
        /// `dE = depthwise_x(dD) · [0 < E < 6]`, `dWe = xᵀ · dE`, `dbe = Σ dE`,
        /// `dx = dE · Weᵀ (+ dy when residual)`.
        func backward(
            input x: Matrix, outputGradient dy: Matrix, parameters: [Matrix], buffers: inout Buffers,
            gradients: inout [Matrix], inputGradient dx: inout Matrix, computeInputGradient: Bool, parallelism: Int = 1
        ) {
            let n = dy.rows
            let positions = depthwise.outputPositions
            var g = dy
            g.reshape(rows: n * positions, cols: outputChannels)
            Matrix.parallelGemm(buffers.depthwise, g, into: &gradients[projectWeights], transposeA: .transposed, parallelism: parallelism)
            Kernel.columnSums(g, into: &gradients[projectBias])
            buffers.depthwiseGradient.resize(rows: n * positions, cols: hidden)
            Matrix.parallelGemm(g, parameters[projectWeights], into: &buffers.depthwiseGradient, transposeB: .transposed, parallelism: parallelism)
            Kernel.relu6BackwardInPlace(output: buffers.depthwise, gradient: &buffers.depthwiseGradient, parallelism: parallelism)
            Kernel.columnSums(buffers.depthwiseGradient, into: &gradients[depthwiseBias])
            buffers.depthwiseGradient.reshape(rows: n, cols: depthwise.output.count)

            if let expand {
                let expanded = buffers.expanded
                Kernel.depthwiseConvBackward(buffers.depthwiseGradient, input: expanded, geometry: depthwise,
                                             weights: parameters[depthwiseWeights], weightGradient: &gradients[depthwiseWeights],
                                             inputGradient: &buffers.expandedGradient, computeInputGradient: true,
                                             parallelism: parallelism)
                Kernel.relu6BackwardInPlace(output: expanded, gradient: &buffers.expandedGradient, parallelism: parallelism)
                let pixelCount = n * input.height * input.width
                buffers.expandedGradient.reshape(rows: pixelCount, cols: hidden)
                var pixels = x
                pixels.reshape(rows: pixelCount, cols: input.channels)
                Matrix.parallelGemm(pixels, buffers.expandedGradient, into: &gradients[expand.weights], transposeA: .transposed, parallelism: parallelism)
                Kernel.columnSums(buffers.expandedGradient, into: &gradients[expand.bias])
                if computeInputGradient {
                    dx.resize(rows: pixelCount, cols: input.channels)
                    Matrix.parallelGemm(buffers.expandedGradient, parameters[expand.weights], into: &dx, transposeB: .transposed, parallelism: parallelism)
                    dx.reshape(rows: n, cols: input.count)
                }
            } else {
                Kernel.depthwiseConvBackward(buffers.depthwiseGradient, input: x, geometry: depthwise,
                                             weights: parameters[depthwiseWeights], weightGradient: &gradients[depthwiseWeights],
                                             inputGradient: &dx, computeInputGradient: computeInputGradient,
                                             parallelism: parallelism)
            }
            if computeInputGradient && residual { Kernel.addInPlace(dy, into: &dx, parallelism: parallelism) }
        }
    }
}
