import NASSpace
import NASTrainer
import Testing
@testable import NASExport

/// The encoder's primitives against the protobuf specification's own examples, and the layout
/// conversions of docs/ARCHITECTURE.md#onnx-encoding on small tensors. (Whether whole models are
/// valid ONNX is `ONNXRoundTripTests`' job, with onnx.checker and onnxruntime.)
@Suite struct ProtobufWriterTests {
    @Test func primitivesFollowTheWireFormat() {
        var writer = ProtobufWriter()
        writer.int(1, 150)                      // the specification's example: 08 96 01
        #expect(writer.bytes == [0x08, 0x96, 0x01])
        writer = ProtobufWriter()
        writer.string(2, "testing")             // 12 07 74 65 73 74 69 6e 67
        #expect(writer.bytes == [0x12, 0x07] + Array("testing".utf8))
        writer = ProtobufWriter()
        writer.int(3, -1)                       // negative int64: ten bytes
        #expect(writer.bytes == [0x18] + Array(repeating: 0xFF, count: 9) + [0x01])
        writer = ProtobufWriter()
        writer.float(2, 1.0)                    // fixed32, little-endian 0x3F800000
        #expect(writer.bytes == [0x15, 0x00, 0x00, 0x80, 0x3F])
        writer = ProtobufWriter()
        writer.packedInts(1, [3, 270])          // 0a 03 03 8e 02
        #expect(writer.bytes == [0x0A, 0x03, 0x03, 0x8E, 0x02])
        writer = ProtobufWriter()
        writer.message(7) { $0.int(1, 1) }      // 3a 02 08 01
        #expect(writer.bytes == [0x3A, 0x02, 0x08, 0x01])
    }

    @Test func convWeightsBecomeOutputInputRowColumn() {
        // (ky, kx, c) × out with k = 3, c = 2, out = 2: value = 1000·m + 100·c + 10·ky + kx
        let k = 3, c = 2, outputs = 2
        var values = [Float](repeating: 0, count: k * k * c * outputs)
        for ky in 0..<k { for kx in 0..<k { for ch in 0..<c { for m in 0..<outputs {
            values[((ky * k + kx) * c + ch) * outputs + m] = Float(1000 * m + 100 * ch + 10 * ky + kx)
        } } } }
        let converted = ONNXModel.convWeights(WeightTensor(rows: k * k * c, cols: outputs, values: values), kernel: k, inputChannels: c)
        var expected: [Float] = []
        for m in 0..<outputs { for ch in 0..<c { for ky in 0..<k { for kx in 0..<k {
            expected.append(Float(1000 * m + 100 * ch + 10 * ky + kx))
        } } } }
        #expect(converted == expected)
    }

    @Test func denseRowsAfterAFeatureMapFollowChannelFirstFlattening() {
        // A 2×2×3 map flattened channels-last, 1 output: row value = 100·y + 10·x + c
        let map = ImageShape(height: 2, width: 2, channels: 3)
        var values: [Float] = []
        for y in 0..<2 { for x in 0..<2 { for ch in 0..<3 { values.append(Float(100 * y + 10 * x + ch)) } } }
        let rows = ONNXModel.channelFirstRows(WeightTensor(rows: 12, cols: 1, values: values), map: map)
        var expected: [Float] = []
        for ch in 0..<3 { for y in 0..<2 { for x in 0..<2 { expected.append(Float(100 * y + 10 * x + ch)) } } }
        #expect(rows == expected)
    }

    @Test func weightsThatDoNotFitTheNetworkAreRefused() {
        let shape = ModelShape(input: ImageShape(height: 28, width: 28, channels: 1), classes: 10, layers: [.dense(units: 4)], head: .flatten)
        let wrong = [WeightTensor(rows: 784, cols: 5, values: [Float](repeating: 0, count: 784 * 5))]
        let model = ONNXModel(shape: shape, weights: wrong, image: FashionMNIST.imageShape, classes: 10, description: "test")
        #expect(throws: ONNXModel.Failure.self) { _ = try model.encoded() }
        let right = [WeightTensor(rows: 784, cols: 4, values: [Float](repeating: 0, count: 784 * 4)),
                     WeightTensor(rows: 1, cols: 4, values: [0, 0, 0, 0]),
                     WeightTensor(rows: 4, cols: 10, values: [Float](repeating: 0, count: 40)),
                     WeightTensor(rows: 1, cols: 10, values: [Float](repeating: 0, count: 10))]
        let bytes = try? ONNXModel(shape: shape, weights: right, image: FashionMNIST.imageShape, classes: 10, description: "test").encoded()
        #expect(bytes?.prefix(2) == [0x08, 0x07])   // ir_version 7 first
    }
}
