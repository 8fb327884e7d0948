import Foundation
import NASStore

/// One retraining as `status` and `best` show it (the full row is in the `retraining_details` view).
struct RetrainingSummary: Encodable, Equatable {
    var retrainingID: Int64
    var candidateID: Int64?
    var arch: String
    var status: String
    var epochs: Int
    var completedEpochs: Int
    var seed: UInt64
    var threads: Int
    var validation: Bool
    var testAccuracy: Double?
    var seconds: Double

    init(_ record: RetrainingRecord) {
        retrainingID = record.id
        candidateID = record.key.candidateID
        arch = record.key.arch
        status = record.status.rawValue
        epochs = record.key.epochs
        completedEpochs = record.completedEpochs
        seed = record.key.seed
        threads = record.key.threads
        validation = record.key.validation
        testAccuracy = record.testAccuracy
        seconds = record.seconds
    }

    /// One line, e.g. `retraining 2: 256-skip-32-128, 20 epochs, test accuracy 0.8850 (312.4s)`.
    var text: String {
        let progress = testAccuracy.map { "\(epochs) epochs, test accuracy " + String(format: "%.4f", $0) }
            ?? "\(completedEpochs)/\(epochs) epochs done (run the same retrain command to resume)"
        return "retraining \(retrainingID): \(arch)\(candidateID.map { " (candidate \($0))" } ?? ""), \(progress)"
            + String(format: " (%.1fs)", seconds)
    }
}
