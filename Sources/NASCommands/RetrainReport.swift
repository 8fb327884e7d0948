import Foundation
import NASSpace
import NASStore

/// What `retrain` prints: the retraining, its test accuracy and where the weights are.
struct RetrainReport: CommandReport {
    var search: String
    var retrainingID: Int64
    var candidateID: Int64?
    var arch: String
    var epochs: Int
    var seed: UInt64
    var threads: Int
    var validation: Bool
    var trainImages: Int
    var testAccuracy: Double?
    var finalValidationAccuracy: Double?
    var seconds: Double
    var params, madds: Int
    var curve: [EpochPoint]
    /// Where the weights are: the database row (`retrainings.weights`).
    var weights: String
    /// The ONNX file written, if any.
    var onnx: String?

    init(search: String, record: RetrainingRecord, shape: ModelShape) {
        self.search = search
        retrainingID = record.id
        candidateID = record.key.candidateID
        arch = record.key.arch
        epochs = record.key.epochs
        seed = record.key.seed
        threads = record.key.threads
        validation = record.key.validation
        trainImages = record.key.trainImages
        testAccuracy = record.testAccuracy
        finalValidationAccuracy = record.curve.last?.validationAccuracy
        seconds = record.seconds
        params = shape.params
        madds = shape.madds
        curve = record.curve
        weights = "retrainings.weights, id \(record.id)"
    }

    var text: String {
        var lines = ["retrained: \(arch)" + (candidateID.map { " (candidate \($0))" } ?? "") + ", retraining \(retrainingID)",
                     "recipe: \(epochs) epochs on \(trainImages) training images, seed \(seed), \(threads) threads"]
        if let finalValidationAccuracy { lines.append(String(format: "validation accuracy: %.4f", finalValidationAccuracy)) }
        if let testAccuracy { lines.append(String(format: "test accuracy: %.4f", testAccuracy)) }
        lines.append(String(format: "time: %.1fs", seconds) + ", params: \(params), madds: \(madds)")
        lines.append("weights: \(weights)")
        if let onnx { lines.append("onnx: \(onnx)") }
        return lines.joined(separator: "\n") + "\n"
    }
}
