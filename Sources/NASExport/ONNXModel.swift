import NASSpace
import NASTrainer

/// A trained layernas network as an ONNX model (docs/ARCHITECTURE.md#onnx-encoding).
///
/// - Input `image`: float32 `[batch, channels, height, width]` (NCHW, ONNX's convolution layout),
///   each pixel its byte value divided by 255, so in [0, 1]: exactly what the trainer saw.
/// - Output `logits`: float32 `[batch, classes]`, before softmax; the class is the argmax.
/// - Operators of the default domain at opset 13 (IR version 7): Conv, Relu, MaxPool (ceil_mode,
///   for windows cut by the border), GlobalAveragePool, Flatten, Gemm. No custom operator.
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
            case .invertedResidual:
                throw Failure(description: "\(name): ONNX export of mobilenet inverted residual blocks is not supported yet")
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
