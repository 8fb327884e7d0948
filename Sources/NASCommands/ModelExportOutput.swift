import Foundation
import NASExport
import NASQuery
import NASSpace
import NASTrainer

/// Writes a retraining's stored weights as an ONNX file, through `OutputSink` (a temporary file
/// renamed into place; the database and its companions refused as targets).
enum ModelExportOutput {
    /// Refuses, before any training, an output that would overwrite the database or names no
    /// `.onnx` file.
    static func check(_ output: String, database: String) throws {
        guard output.hasSuffix(".onnx") else {
            throw CommandFailure(status: .badInput, description: "--output: \(output): the model is written as ONNX; name a .onnx file")
        }
        do {
            try OutputPathGuard.check(output: output, database: database, replaceDatabase: false)
        } catch {
            throw error.commandFailure
        }
    }

    /// The weights `weightBytes` (layernas's tensor format) of the network `shape` as ONNX in `output`.
    static func write(shape: ModelShape, weightBytes: [UInt8], to output: String, database: String, retrainingID: Int64,
                      arch: String) throws {
        let weights: [WeightTensor]
        do {
            weights = try TensorCoding.decodeWeights(weightBytes)
        } catch {
            throw CommandFailure(status: .failure, description: "\(database): retraining \(retrainingID): the stored weights are damaged (\(error))")
        }
        let model = ONNXModel(shape: shape, weights: weights, image: FashionMNIST.imageShape, classes: FashionMNIST.classes,
                              description: "layernas retraining \(retrainingID): \(arch), Fashion-MNIST classifier")
        let bytes: [UInt8]
        do {
            bytes = try model.encoded()
        } catch {
            throw CommandFailure(status: .failure, description: "\(database): retraining \(retrainingID): \(error)")
        }
        try QueryCommandSupport.run {
            let sink = try OutputSink.open(path: output, database: database)
            try sink.write(bytes: bytes)
            try sink.commit()
        }
    }
}
