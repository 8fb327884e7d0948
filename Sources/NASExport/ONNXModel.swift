import NASSpace
import NASTrainer

/// A trained layernas network as an ONNX model (docs/ARCHITECTURE.md#onnx-encoding).
///
/// - Input `image`: float32 `[batch, channels, height, width]` (NCHW, ONNX's convolution layout),
///   each pixel its byte value divided by 255, so in [0, 1]: exactly what the trainer saw.
/// - Output `logits`: float32 `[batch, classes]`, before softmax; the class is the argmax.
/// - Operators of the default domain at opset 13 (IR version 7): Conv, Relu, MaxPool (ceil_mode,
///   for windows cut by the border), GlobalAveragePool, Flatten, Gemm, and for `mobilenet` blocks
///   Conv with `group` (depthwise), Clip (ReLU6) and Add (residual). No custom operator.
///
/// The trainer computes channels-last (NHWC); the export converts its tensors instead of adding
/// Transpose nodes: conv weights become `[out, in, ky, kx]`, and a dense layer after a flattened
/// feature map gets its rows permuted from `(y, x, channel)` to ONNX's `(channel, y, x)` order.
package struct ONNXModel {
    /// The operator set version the graph is written for.
    package static let opsetVersion: Int64 = 13
    /// The ONNX IR version that goes with opset 13.
    package static let irVersion: Int64 = 7
    /// What the input holds, stated in the model's documentation and metadata.
    package static let inputNormalisation = "float32 NCHW [batch, 1, 28, 28]: Fashion-MNIST pixel bytes divided by 255 (values in [0, 1]), no mean or standard-deviation shift"

    let shape: ModelShape
    let weights: [WeightTensor]
    let image: ImageShape
    let classes: Int
    let description: String

    /// A model of the network `shape` with trained `weights` (in the trainer's order and
    /// layouts, `WeightTensor`), taking images of `image` and giving `classes` logits.
    package init(shape: ModelShape, weights: [WeightTensor], image: ImageShape, classes: Int, description: String) {
        self.shape = shape
        self.weights = weights
        self.image = image
        self.classes = classes
        self.description = description
    }

    /// A mismatch between the network and its weights: one line.
    package struct Failure: Error, CustomStringConvertible, Sendable {
        package var description: String
    }

    /// The serialized `ModelProto`.
    package func encoded() throws(Failure) -> [UInt8] {
        let graph = try graphBytes()
        var model = ProtobufWriter()
        model.int(1, Self.irVersion)                         // ir_version
        model.string(2, "layernas")                          // producer_name
        model.string(3, "0.1.0")                             // producer_version
        model.string(4, "org.layernas")                      // domain
        model.int(5, 1)                                      // model_version
        model.string(6, description + "\nInput: " + Self.inputNormalisation + ". Output: logits [batch, \(classes)], argmax is the class.")
        model.bytes(7, graph)                                // graph
        model.message(8) { opset in                          // opset_import: the default domain
            opset.string(1, "")
            opset.int(2, Self.opsetVersion)
        }
        for (key, value) in [("input_normalisation", Self.inputNormalisation), ("input_layout", "NCHW"), ("output", "logits")] {
            model.message(14) { entry in                     // metadata_props
                entry.string(1, key)
                entry.string(2, value)
            }
        }
        return model.bytes
    }

    // MARK: - Graph

    private func graphBytes() throws(Failure) -> [UInt8] {
        var builder = GraphBuilder()
        var next = 0
        func parameter(_ what: String) throws(Failure) -> WeightTensor {
            guard next < weights.count else { throw Failure(description: "the stored weights end before \(what)") }
            defer { next += 1 }
            return weights[next]
        }
        var current = "image"
        // Channels-last image flowing between layers, or nil once flattened.
        var feature: ImageShape? = image
        var width = image.count
        let inputIsImage = shape.input == image

        func flattenIfImage(named name: String) -> ImageShape? {
            guard let map = feature else { return nil }
            current = builder.node("Flatten", inputs: [current], output: name, attributes: [.int("axis", 1)])
            feature = nil
            return map
        }

        if !inputIsImage {
            // An mlp declared with flat features reads the image as its pixels in order.
            _ = flattenIfImage(named: "input.flat")
        }
        for (index, layer) in shape.layers.enumerated() {
            let name = "layer\(index + 1)"
            switch layer {
            case .dense(let units):
                let flattened = flattenIfImage(named: "\(name).flat")
                let w = try parameter("\(name)'s weights"), b = try parameter("\(name)'s bias")
                guard w.rows == width, w.cols == units, b.count == units else {
                    throw Failure(description: "\(name): weights \(w.rows)×\(w.cols) do not fit a dense layer \(width) → \(units)")
                }
                current = gemm(&builder, name: name, input: current, weights: w, bias: b, flattenedFrom: flattened)
                current = builder.node("Relu", inputs: [current], output: "\(name).relu")
                width = units
            case .conv(let channels, let kernel, let stride):
                guard let input = feature else { throw Failure(description: "\(name): a conv layer after flat features") }
                let w = try parameter("\(name)'s weights"), b = try parameter("\(name)'s bias")
                guard w.rows == kernel * kernel * input.channels, w.cols == channels, b.count == channels else {
                    throw Failure(description: "\(name): weights \(w.rows)×\(w.cols) do not fit a \(kernel)×\(kernel) conv \(input.channels) → \(channels)")
                }
                let output = input.downsampled(by: stride, channels: channels)
                let padHeight = max((output.height - 1) * stride + kernel - input.height, 0)
                let padWidth = max((output.width - 1) * stride + kernel - input.width, 0)
                let weightName = builder.initializer("\(name).weight", dims: [channels, input.channels, kernel, kernel],
                                                     values: Self.convWeights(w, kernel: kernel, inputChannels: input.channels))
                let biasName = builder.initializer("\(name).bias", dims: [channels], values: b.values)
                current = builder.node("Conv", inputs: [current, weightName, biasName], output: "\(name).conv", attributes: [
                    .ints("kernel_shape", [kernel, kernel]), .ints("strides", [stride, stride]),
                    // [top, left, bottom, right]: TensorFlow's "SAME", the smaller half first (ConvGeometry).
                    .ints("pads", [padHeight / 2, padWidth / 2, padHeight - padHeight / 2, padWidth - padWidth / 2]),
                ])
                current = builder.node("Relu", inputs: [current], output: "\(name).relu")
                feature = output
                width = output.count
            case .maxPool(let size):
                guard let input = feature else { throw Failure(description: "\(name): max pooling after flat features") }
                current = builder.node("MaxPool", inputs: [current], output: "\(name).pool", attributes: [
                    .ints("kernel_shape", [size, size]), .ints("strides", [size, size]), .int("ceil_mode", 1),
                ])
                feature = input.downsampled(by: size)
                width = feature?.count ?? width
            case .invertedResidual(let channels, let kernel, let expansion, let stride):
                guard let input = feature else { throw Failure(description: "\(name): an inverted residual block after flat features") }
                let blockInput = current
                let hidden = input.channels * expansion
                if expansion > 1 {
                    let w = try parameter("\(name)'s expand weights"), b = try parameter("\(name)'s expand bias")
                    guard w.rows == input.channels, w.cols == hidden, b.count == hidden else {
                        throw Failure(description: "\(name): weights \(w.rows)×\(w.cols) do not fit a 1×1 expand conv \(input.channels) → \(hidden)")
                    }
                    current = pointwiseConv(&builder, name: "\(name).expand", input: current, weights: w, bias: b, inputChannels: input.channels)
                    current = relu6(&builder, input: current, output: "\(name).expand.relu6")
                }
                let dw = try parameter("\(name)'s depthwise weights"), db = try parameter("\(name)'s depthwise bias")
                guard dw.rows == kernel * kernel, dw.cols == hidden, db.count == hidden else {
                    throw Failure(description: "\(name): weights \(dw.rows)×\(dw.cols) do not fit a \(kernel)×\(kernel) depthwise conv on \(hidden) channels")
                }
                let output = input.downsampled(by: stride, channels: channels)
                let padHeight = max((output.height - 1) * stride + kernel - input.height, 0)
                let padWidth = max((output.width - 1) * stride + kernel - input.width, 0)
                // A depthwise filter is a grouped conv with one input channel per group: [hidden, 1, k, k].
                let depthwiseName = builder.initializer("\(name).depthwise.weight", dims: [hidden, 1, kernel, kernel],
                                                        values: Self.convWeights(dw, kernel: kernel, inputChannels: 1))
                let depthwiseBias = builder.initializer("\(name).depthwise.bias", dims: [hidden], values: db.values)
                current = builder.node("Conv", inputs: [current, depthwiseName, depthwiseBias], output: "\(name).depthwise", attributes: [
                    .ints("kernel_shape", [kernel, kernel]), .ints("strides", [stride, stride]), .int("group", hidden),
                    .ints("pads", [padHeight / 2, padWidth / 2, padHeight - padHeight / 2, padWidth - padWidth / 2]),
                ])
                current = relu6(&builder, input: current, output: "\(name).depthwise.relu6")
                let pw = try parameter("\(name)'s projection weights"), pb = try parameter("\(name)'s projection bias")
                guard pw.rows == hidden, pw.cols == channels, pb.count == channels else {
                    throw Failure(description: "\(name): weights \(pw.rows)×\(pw.cols) do not fit a 1×1 projection \(hidden) → \(channels)")
                }
                current = pointwiseConv(&builder, name: "\(name).project", input: current, weights: pw, bias: pb, inputChannels: hidden)
                if ModelLayer.hasResidual(stride: stride, inputChannels: input.channels, channels: channels) {
                    current = builder.node("Add", inputs: [blockInput, current], output: "\(name).residual")
                }
                feature = output
                width = output.count
            }
        }
        var flattened: ImageShape?
        if shape.head == .globalAveragePool, let map = feature {
            current = builder.node("GlobalAveragePool", inputs: [current], output: "head.pool")
            current = builder.node("Flatten", inputs: [current], output: "head.flat", attributes: [.int("axis", 1)])
            feature = nil
            width = map.channels
        } else {
            flattened = flattenIfImage(named: "head.flat")
        }
        let w = try parameter("the head's weights"), b = try parameter("the head's bias")
        guard w.rows == width, w.cols == classes, b.count == classes else {
            throw Failure(description: "head: weights \(w.rows)×\(w.cols) do not fit \(width) features → \(classes) classes")
        }
        _ = gemm(&builder, name: "head", input: current, weights: w, bias: b, flattenedFrom: flattened, output: "logits")
        guard next == weights.count else {
            throw Failure(description: "\(weights.count - next) stored weight tensors are left over after the head")
        }
        return builder.graph(name: "layernas", input: ("image", [nil, image.channels, image.height, image.width]),
                             inputDoc: Self.inputNormalisation, output: ("logits", [nil, classes]))
    }

    /// A 1×1 `Conv` of a `(cin × cout)` trainer weight (a GEMM over channels in the trainer).
    private func pointwiseConv(_ builder: inout GraphBuilder, name: String, input: String, weights w: WeightTensor,
                               bias b: WeightTensor, inputChannels: Int) -> String {
        let weightName = builder.initializer("\(name).weight", dims: [w.cols, inputChannels, 1, 1],
                                             values: Self.convWeights(w, kernel: 1, inputChannels: inputChannels))
        let biasName = builder.initializer("\(name).bias", dims: [w.cols], values: b.values)
        return builder.node("Conv", inputs: [input, weightName, biasName], output: name, attributes: [
            .ints("kernel_shape", [1, 1]), .ints("strides", [1, 1]), .ints("pads", [0, 0, 0, 0]),
        ])
    }

    /// ReLU6 as `Clip(x, 0, 6)`; at opset 13 the bounds are inputs, shared scalar initializers.
    private func relu6(_ builder: inout GraphBuilder, input: String, output: String) -> String {
        if !builder.hasInitializer("relu6.min") {
            _ = builder.initializer("relu6.min", dims: [], values: [0])
            _ = builder.initializer("relu6.max", dims: [], values: [6])
        }
        return builder.node("Clip", inputs: [input, "relu6.min", "relu6.max"], output: output)
    }

    /// `Gemm(x, W, b)` with `W` as `[in, out]` (transB = 0); after a Flatten of a channels-last
    /// map its rows are reordered to ONNX's channel-first flattening.
    private func gemm(_ builder: inout GraphBuilder, name: String, input: String, weights w: WeightTensor, bias b: WeightTensor,
                      flattenedFrom map: ImageShape?, output: String? = nil) -> String {
        let values = map.map { Self.channelFirstRows(w, map: $0) } ?? w.values
        let weightName = builder.initializer("\(name).weight", dims: [w.rows, w.cols], values: values)
        let biasName = builder.initializer("\(name).bias", dims: [w.cols], values: b.values)
        return builder.node("Gemm", inputs: [input, weightName, biasName], output: output ?? "\(name).gemm")
    }

    /// Conv weights from the trainer's `(ky, kx, in) × out` to ONNX's `[out, in, ky, kx]`.
    static func convWeights(_ w: WeightTensor, kernel k: Int, inputChannels c: Int) -> [Float] {
        var result = [Float](repeating: 0, count: w.values.count)
        let outputs = w.cols
        for m in 0..<outputs {
            for ch in 0..<c {
                for ky in 0..<k {
                    for kx in 0..<k {
                        result[((m * c + ch) * k + ky) * k + kx] = w.values[((ky * k + kx) * c + ch) * outputs + m]
                    }
                }
            }
        }
        return result
    }

    /// Dense weights whose rows follow a flattened channels-last map `(y, x, ch)`, reordered to
    /// follow ONNX's flattening of NCHW `(ch, y, x)`.
    static func channelFirstRows(_ w: WeightTensor, map: ImageShape) -> [Float] {
        var result = [Float](repeating: 0, count: w.values.count)
        let (h, wd, c, cols) = (map.height, map.width, map.channels, w.cols)
        for y in 0..<h {
            for x in 0..<wd {
                for ch in 0..<c {
                    let ours = (y * wd + x) * c + ch
                    let theirs = (ch * h + y) * wd + x
                    for j in 0..<cols { result[theirs * cols + j] = w.values[ours * cols + j] }
                }
            }
        }
        return result
    }
}

extension WeightTensor {
    var count: Int { rows * cols }
}
