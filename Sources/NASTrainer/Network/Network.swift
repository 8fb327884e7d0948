import NASSpace

/// A trainable network built from a `ModelShape`: its hidden layers (dense and conv layers each
/// followed by ReLU, fused into the layer; max pooling; inverted residual blocks, each one
/// operation), then (for `.globalAveragePool`) global average pooling, then the dense classifier
/// head producing logits on the flattened features.
/// Parameters are `Float`; all arithmetic goes through the kernels in `Kernels/`.
///
/// Weights are He-initialised, `N(0, 2 / fan_in)` (He et al., 2015), for hidden layers and
/// `N(0, 1 / fan_in)` for the head; biases start at zero. Its parameter count is `shape.params`.
///
/// Buffers for activations, gradients and im2col columns are kept between batches, so a training
/// step allocates only when the batch size changes.
struct Network {
    let shape: ModelShape
    let operations: [NetworkOperation]
    /// Weights and biases, in layer order.
    var parameters: [Matrix]
    /// Gradient of the loss for each parameter (filled by `backward`).
    var gradients: [Matrix]
    /// Whether weight decay applies (weights yes, biases no).
    let decays: [Bool]
    /// Whether `backward` also computes the gradient of the input batch (for gradient checks).
    var computesInputGradient = false
    /// Threads for the memory-bound kernels (im2col, col2im, ReLU, bias); results do not depend
    /// on it.
    var parallelism = 1

    /// `activations[0]` is the input batch; `activations[i + 1]` the output of operation `i`.
    private var activations: [Matrix]
    /// `deltas[i]` is the loss gradient of `activations[i]`.
    private var deltas: [Matrix]
    /// im2col scratch space of conv operations (empty for others).
    private var columns: [Matrix]
    /// Intermediate maps of inverted residual blocks (empty for others).
    private var blockBuffers: [NetworkOperation.InvertedResidual.Buffers]

    /// Builds the network for `shape` taking inputs of `inputShape` and initialises it from
    /// `generator`.
    ///
    /// - Throws: `TrainerError.incompatibleShape` if the shape's input or class count differ from
    ///   the data, or a conv or pooling layer follows a dense layer or a flattened input.
    init(shape: ModelShape, inputShape: ImageShape, classes: Int, generator: inout SplitMix64) throws {
        guard shape.classes == classes else {
            throw TrainerError.incompatibleShape("shape has \(shape.classes) classes, the data has \(classes)")
        }
        // An input declared with the images' shape is an image; one declared as the same number
        // of values in another shape (an mlp's `[784]`) is flat features.
        let inputIsImage = shape.input == inputShape
        guard inputIsImage || shape.input.count == inputShape.count else {
            throw TrainerError.incompatibleShape("input \(shape.input) has \(shape.input.count) values, images are \(inputShape) (\(inputShape.count) values)")
        }
        if shape.head == .globalAveragePool, !inputIsImage {
            throw TrainerError.incompatibleShape("input is \(shape.input), images are \(inputShape); global average pooling needs the image shape")
        }
        self.shape = shape
        var operations: [NetworkOperation] = []
        var parameters: [Matrix] = []
        var decays: [Bool] = []
        func addParameters(rows: Int, cols: Int, std: Double) -> (weights: Int, bias: Int) {
            let weights = Matrix(rows: rows, cols: cols, storage: (0..<(rows * cols)).map { _ in Float(generator.nextNormal() * std) })
            parameters.append(weights)
            parameters.append(Matrix(rows: 1, cols: cols))
            decays += [true, false]
            return (parameters.count - 2, parameters.count - 1)
        }
        // What flows between layers: a flat vector of `width` or a channels-last image.
        var image: ImageShape? = inputIsImage ? shape.input : nil
        var width = shape.input.count
        for (index, layer) in shape.layers.enumerated() {
            switch layer {
            case .dense(let units):
                guard units > 0 else { throw TrainerError.incompatibleShape("layer \(index + 1) has \(units) units") }
                let p = addParameters(rows: width, cols: units, std: (2 / Double(width)).squareRoot())
                operations.append(.dense(.init(inputs: width, outputs: units, weights: p.weights, bias: p.bias, relu: true)))
                image = nil
                width = units
            case .conv(let channels, let kernel, let stride):
                guard let input = image else {
                    throw TrainerError.incompatibleShape("conv layer \(index + 1) follows flat features (a dense layer or a flattened input)")
                }
                guard channels > 0, kernel > 0, kernel % 2 == 1, stride == 1 || stride == 2 else {
                    throw TrainerError.incompatibleShape("conv layer \(index + 1) has channels \(channels), kernel \(kernel), stride \(stride); need channels > 0, odd kernel, stride 1 or 2")
                }
                let geometry = ConvGeometry(input: input, outputChannels: channels, kernel: kernel, stride: stride)
                let p = addParameters(rows: geometry.patchSize, cols: channels, std: (2 / Double(geometry.patchSize)).squareRoot())
                operations.append(.conv(.init(geometry: geometry, weights: p.weights, bias: p.bias, relu: true)))
                image = geometry.output
                width = geometry.output.count
            case .maxPool(let size):
                guard let input = image else {
                    throw TrainerError.incompatibleShape("max pooling layer \(index + 1) follows flat features (a dense layer or a flattened input)")
                }
                guard size > 0 else { throw TrainerError.incompatibleShape("max pooling layer \(index + 1) has size \(size)") }
                operations.append(.maxPool(input: input, size: size))
                image = input.downsampled(by: size)
                width = image?.count ?? width
            case .invertedResidual(let channels, let kernel, let expansion, let stride):
                guard let input = image else {
                    throw TrainerError.incompatibleShape("inverted residual block \(index + 1) follows flat features (a dense layer or a flattened input)")
                }
                guard channels > 0, kernel > 0, kernel % 2 == 1, expansion > 0, stride == 1 || stride == 2 else {
                    throw TrainerError.incompatibleShape("inverted residual block \(index + 1) has channels \(channels), kernel \(kernel), expansion \(expansion), stride \(stride); need channels > 0, odd kernel, expansion > 0, stride 1 or 2")
                }
                let hidden = input.channels * expansion
                // He initialisation before the ReLU6s; the linear projection gets N(0, 1 / fan_in).
                let expand = expansion > 1
                    ? addParameters(rows: input.channels, cols: hidden, std: (2 / Double(input.channels)).squareRoot())
                    : nil
                let depthwise = addParameters(rows: kernel * kernel, cols: hidden, std: (2 / Double(kernel * kernel)).squareRoot())
                let project = addParameters(rows: hidden, cols: channels, std: (1 / Double(hidden)).squareRoot())
                let block = NetworkOperation.InvertedResidual(
                    input: input,
                    depthwise: ConvGeometry(input: ImageShape(height: input.height, width: input.width, channels: hidden),
                                            outputChannels: hidden, kernel: kernel, stride: stride),
                    outputChannels: channels,
                    expand: expand.map { .init(weights: $0.weights, bias: $0.bias) },
                    depthwiseWeights: depthwise.weights, depthwiseBias: depthwise.bias,
                    projectWeights: project.weights, projectBias: project.bias,
                    residual: ModelLayer.hasResidual(stride: stride, inputChannels: input.channels, channels: channels)
                )
                operations.append(.invertedResidual(block))
                image = block.output
                width = block.output.count
            }
        }
        if shape.head == .globalAveragePool, let image {
            operations.append(.globalAveragePool(positions: image.height * image.width, channels: image.channels))
            width = image.channels
        }
        let head = addParameters(rows: width, cols: classes, std: (1 / Double(width)).squareRoot())
        operations.append(.dense(.init(inputs: width, outputs: classes, weights: head.weights, bias: head.bias, relu: false)))

        self.operations = operations
        self.parameters = parameters
        self.gradients = parameters.map { Matrix(rows: $0.rows, cols: $0.cols) }
        self.decays = decays
        self.activations = Array(repeating: Matrix(rows: 0, cols: 0), count: operations.count + 1)
        self.deltas = activations
        self.columns = activations
        self.blockBuffers = Array(repeating: .init(), count: operations.count)
    }

    /// Total number of trainable scalars.
    var parameterCount: Int { parameters.reduce(0) { $0 + $1.count } }

    /// The logits of the last `forward`, `n × classes`.
    var logits: Matrix { activations[operations.count] }

    /// Gradient of the loss with respect to the input batch, if `computesInputGradient`.
    var inputGradient: Matrix { deltas[0] }

    /// Copies images `indices` of `images` into the input batch.
    mutating func setInput(_ images: LabeledImages, indices: ArraySlice<Int>) {
        Kernel.gatherRows(images.pixels, rowLength: images.shape.count, indices: indices, into: &activations[0])
    }

    /// Uses `batch` (`n × input size`) as the input batch.
    mutating func setInput(_ batch: Matrix) {
        precondition(batch.cols == shape.input.count, "input batch has \(batch.cols) columns, expected \(shape.input.count)")
        activations[0] = batch
    }

    /// Runs all operations on the input batch; the result is `logits`.
    mutating func forward() {
        for (i, operation) in operations.enumerated() {
            let x = activations[i]
            switch operation {
            case .dense(let dense):
                dense.forward(x, parameters: parameters, into: &activations[i + 1], parallelism: parallelism)
            case .conv(let conv):
                conv.forward(x, parameters: parameters, columns: &columns[i], into: &activations[i + 1], parallelism: parallelism)
            case .maxPool(let input, let size):
                Kernel.maxPool(x, input: input, size: size, into: &activations[i + 1], parallelism: parallelism)
            case .globalAveragePool(let positions, let channels):
                Kernel.globalAveragePool(x, positions: positions, channels: channels, into: &activations[i + 1])
            case .invertedResidual(let block):
                block.forward(x, parameters: parameters, buffers: &blockBuffers[i], into: &activations[i + 1], parallelism: parallelism)
            }
        }
    }

    /// Back-propagates `logitGradient` (∂loss/∂logits) through the last `forward`, filling
    /// `gradients`.
    mutating func backward(logitGradient: Matrix) {
        precondition(logitGradient.rows == logits.rows && logitGradient.cols == logits.cols, "logit gradient shape differs from logits")
        deltas[operations.count] = logitGradient
        for i in stride(from: operations.count - 1, through: 0, by: -1) {
            let needInput = i > 0 || computesInputGradient
            // Take the output gradient out of the array (no copy) so it and `deltas[i]` can both
            // be written; it is put back afterwards.
            var dy = Matrix(rows: 0, cols: 0)
            swap(&dy, &deltas[i + 1])
            defer { swap(&dy, &deltas[i + 1]) }
            switch operations[i] {
            case .dense(let dense):
                dense.backward(input: activations[i], output: activations[i + 1], outputGradient: &dy,
                               parameters: parameters, gradients: &gradients,
                               inputGradient: &deltas[i], computeInputGradient: needInput, parallelism: parallelism)
            case .conv(let conv):
                conv.backward(input: activations[i], output: activations[i + 1], outputGradient: &dy, parameters: parameters,
                              columns: &columns[i], gradients: &gradients,
                              inputGradient: &deltas[i], computeInputGradient: needInput, parallelism: parallelism)
            case .maxPool(let input, let size):
                if needInput {
                    Kernel.maxPoolBackward(dy, input: activations[i], output: activations[i + 1], shape: input, size: size,
                                           into: &deltas[i], parallelism: parallelism)
                }
            case .globalAveragePool(let positions, _):
                if needInput { Kernel.globalAveragePoolBackward(dy, positions: positions, into: &deltas[i]) }
            case .invertedResidual(let block):
                block.backward(input: activations[i], outputGradient: dy, parameters: parameters, buffers: &blockBuffers[i],
                               gradients: &gradients, inputGradient: &deltas[i], computeInputGradient: needInput,
                               parallelism: parallelism)
            }
        }
    }
}
