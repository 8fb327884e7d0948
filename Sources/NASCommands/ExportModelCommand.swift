import ArgumentParser
import Foundation
import NASExport
import NASQuery
import NASSpace
import NASStore
import NASTrainer

/// `layernas export-model DB --output model.onnx`: a finished retraining's weights as ONNX
/// (docs/ARCHITECTURE.md#onnx-encoding).
struct ExportModelCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "export-model",
        abstract: "Write a finished retraining as an ONNX model.",
        discussion: """
            Chooses the latest finished retraining of the search, of --candidate, or the one \
            --retraining names. The model takes float32 NCHW images [batch, 1, 28, 28] with pixels \
            divided by 255 and gives 10 logits (ONNX opset 13). --logits also writes layernas's \
            own logits on the 10,000 test images (float32, little-endian, row-major 10000 × 10), \
            to compare another runtime with. Opens the database read-only.

            Example:
              layernas export-model runs/fashion-mlp.db --output best.onnx
              layernas export-model runs/fashion-mlp.db --candidate 12 --output c12.onnx
            """
    )

    @Argument(help: "Path of the search database.")
    var database: String

    @Option(help: "Name of the search (default: the only one).")
    var name: String?

    @Option(parsing: .unconditional, help: "Export the latest finished retraining of this candidate.")
    var candidate: Int64?

    @Option(parsing: .unconditional, help: "Export this retraining (its id, as 'retrain' and 'status' print it).")
    var retraining: Int64?

    @Option(help: "The ONNX file to write.")
    var output: String

    @Option(help: "Also write layernas's logits on the test images to this file (raw float32).")
    var logits: String?

    @Option(parsing: .unconditional, help: "Threads for --logits (default: all cores).")
    var threads: Int?

    func run() async throws {
        if candidate != nil && retraining != nil {
            throw CommandFailure(status: .badInput, description: "--candidate and --retraining: give one of them, not both")
        }
        if let threads, !(1...1024).contains(threads) {
            throw CommandFailure(status: .badInput, description: "--threads: must be between 1 and 1024, got \(threads)")
        }
        try ModelExportOutput.check(output, database: database)
        let store = try Store(path: database, readOnly: true)
        let search = try SearchLookup.find(store: store, name: name)
        let finished = try store.retrainings(searchID: search.record.id).filter { $0.status == .finished }
        let chosen: RetrainingRecord?
        if let retraining {
            guard let record = try store.retrainings(searchID: search.record.id).first(where: { $0.id == retraining }) else {
                throw CommandFailure(status: .badInput, description: "--retraining: search '\(search.record.name)' has no retraining \(retraining)")
            }
            guard record.status == .finished else {
                throw CommandFailure(status: .failure, description: "retraining \(retraining) has finished \(record.completedEpochs) of \(record.key.epochs) epochs; run 'layernas retrain' again to finish it")
            }
            chosen = record
        } else if let candidate {
            chosen = finished.last(where: { $0.key.candidateID == candidate })
            if chosen == nil {
                throw CommandFailure(status: .failure, description: "--candidate: candidate \(candidate) of search '\(search.record.name)' has no finished retraining; run 'layernas retrain \(database) --candidate \(candidate)' first")
            }
        } else {
            chosen = finished.last
        }
        guard let record = chosen else {
            throw CommandFailure(status: .failure, description: "search '\(search.record.name)' has no finished retraining; run 'layernas retrain \(database)' first")
        }
        let shape: ModelShape
        do {
            guard let found = search.space.modelShape(for: try search.space.architecture(key: record.key.arch)) else {
                throw CommandFailure(status: .badInput, description: "\(database): search '\(search.record.name)' is not an mlp, cnn or mobilenet space")
            }
            shape = found
        } catch let failure as CommandFailure {
            throw failure
        } catch {
            throw CommandFailure(status: .badInput, description: "\(database): retraining \(record.id): \(error)")
        }
        guard let bytes = try store.retrainingWeights(id: record.id) else {
            throw CommandFailure(status: .failure, description: "retraining \(record.id) has no stored weights")
        }
        try ModelExportOutput.write(shape: shape, weightBytes: bytes, to: output, database: database, retrainingID: record.id,
                                    arch: record.key.arch)
        if let logits {
            try writeLogits(shape: shape, weightBytes: bytes, to: logits)
        }
        print("exported retraining \(record.id) (\(record.key.arch), test accuracy "
              + String(format: "%.4f", record.testAccuracy ?? .nan) + ") to \(output)")
    }

    private func writeLogits(shape: ModelShape, weightBytes: [UInt8], to path: String) throws {
        let dataset = try DatasetLocation.load(includeTest: true)
        guard let test = dataset.test else { preconditionFailure("loaded with its test split") }
        let trainer = Trainer(dataset: dataset, threads: threads ?? ProcessInfo.processInfo.activeProcessorCount)
        let values: [Float]
        do {
            values = try trainer.logits(shape: shape, weights: try TensorCoding.decodeWeights(weightBytes), images: test)
        } catch {
            throw CommandFailure(status: .failure, description: "\(database): \(error)")
        }
        let raw = LittleEndianFloats.bytes(values)
        try QueryCommandSupport.run {
            try OutputPathGuard.check(output: path, database: database, replaceDatabase: false)
            let sink = try OutputSink.open(path: path, database: database)
            try sink.write(bytes: raw)
            try sink.commit()
        }
    }
}
