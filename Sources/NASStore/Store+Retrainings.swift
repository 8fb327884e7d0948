import Foundation
import GRDB
import NASSpace

/// Status of a retraining (the `retrainings.status` column).
package enum RetrainingStatus: String, Sendable, Codable {
    /// Epochs remain; its checkpoint holds the state after the last finished one.
    case running
    /// Trained to the end, test accuracy and weights stored. Final.
    case finished
}

/// What identifies a retraining: running `layernas retrain` again with the same values resumes
/// (or reports) the stored one instead of starting another (migration 0006).
package struct RetrainingKey: Sendable, Equatable {
    package var searchID: Int64
    package var candidateID: Int64?
    package var arch: String
    /// The full recipe, canonical JSON (`JSONText.encode`).
    package var recipeJSON: String
    package var seed: UInt64
    package var epochs: Int
    package var threads: Int
    /// Trained on 50,000 images with 10,000 for validation (else on all 60,000).
    package var validation: Bool
    package var trainImages: Int

    /// Creates a key from its parts.
    package init(searchID: Int64, candidateID: Int64?, arch: String, recipeJSON: String, seed: UInt64, epochs: Int,
                 threads: Int, validation: Bool, trainImages: Int) {
        self.searchID = searchID
        self.candidateID = candidateID
        self.arch = arch
        self.recipeJSON = recipeJSON
        self.seed = seed
        self.epochs = epochs
        self.threads = threads
        self.validation = validation
        self.trainImages = trainImages
    }
}

/// A row of `retrainings` without its blobs.
package struct RetrainingRecord: Sendable, Equatable {
    package var id: Int64
    package var key: RetrainingKey
    package var status: RetrainingStatus
    package var completedEpochs: Int
    package var curve: [EpochPoint]
    package var testAccuracy: Double?
    package var seconds: Double
    package var blasKernel: String?
    package var owner: String?
    package var finishedAt: String?
    /// Size of the stored weights in bytes (0 while running).
    package var weightsBytes: Int

    init(row: Row) {
        id = row["id"]
        key = RetrainingKey(
            searchID: row["search_id"], candidateID: row["candidate_id"], arch: row["arch"], recipeJSON: row["recipe_json"],
            seed: UInt64(bitPattern: row["seed"]), epochs: row["epochs"], threads: row["threads"],
            validation: row["validation"], trainImages: row["train_images"])
        status = RetrainingStatus(rawValue: row["status"]) ?? .running
        completedEpochs = row["completed_epochs"]
        curve = RetrainingCurve.decode(row["curve_json"])
        testAccuracy = row["test_accuracy"]
        seconds = row["seconds"]
        blasKernel = row["blas_kernel"]
        owner = row["owner"]
        finishedAt = row["finished_at"]
        weightsBytes = row["weights_bytes"] ?? 0
    }
}

/// The curve column's JSON: snake_case keys, as the `retraining_epochs` view reads them.
enum RetrainingCurve {
    static func encode(_ curve: [EpochPoint]) -> String {
        let encoder = JSONEncoder()
        encoder.keyEncodingStrategy = .convertToSnakeCase
        encoder.outputFormatting = [.sortedKeys]
        guard let data = try? encoder.encode(curve) else { preconditionFailure("epoch points always encode") }
        return String(decoding: data, as: UTF8.self)
    }

    static func decode(_ text: String) -> [EpochPoint] {
        let decoder = JSONDecoder()
        decoder.keyDecodingStrategy = .convertFromSnakeCase
        return (try? decoder.decode([EpochPoint].self, from: Data(text.utf8))) ?? []
    }
}

extension Store {
    private static let retrainingColumns = """
        id, search_id, candidate_id, arch, recipe_json, seed, epochs, threads, validation, train_images, status,
        completed_epochs, curve_json, test_accuracy, seconds, blas_kernel, owner, finished_at, length(weights) AS weights_bytes
        """

    /// Every retraining of a search, oldest first.
    package func retrainings(searchID: Int64) throws(StoreError) -> [RetrainingRecord] {
        try read { db in
            try Row.fetchAll(db, sql: "SELECT \(Self.retrainingColumns) FROM retrainings WHERE search_id = ? ORDER BY id",
                             arguments: [searchID]).map(RetrainingRecord.init(row:))
        }
    }

    /// The stored bytes of a finished retraining's weights (`nil` while it runs).
    package func retrainingWeights(id: Int64) throws(StoreError) -> [UInt8]? {
        try read { db in
            try Data.fetchOne(db, sql: "SELECT weights FROM retrainings WHERE id = ?", arguments: [id]).map { [UInt8]($0) }
        }
    }

    /// The checkpoint after the last finished epoch of a running retraining (`nil` before the first).
    package func retrainingCheckpoint(id: Int64) throws(StoreError) -> [UInt8]? {
        try read { db in
            try Data.fetchOne(db, sql: "SELECT checkpoint FROM retrainings WHERE id = ?", arguments: [id]).map { [UInt8]($0) }
        }
    }

    /// The retraining `key` names, made `owner`'s: a new row when there is none, else the stored
    /// one (finished: returned as it is; running: resumed unless a live process other than
    /// `owner` runs it, which is refused naming it).
    package func claimRetraining(
        _ key: RetrainingKey, owner: String, isAlive: @Sendable (String, Double?) -> Bool
    ) throws(StoreError) -> RetrainingRecord {
        let path = self.path
        return try write { db in
            let find = "SELECT \(Self.retrainingColumns) FROM retrainings WHERE search_id = ? AND arch = ? AND recipe_json = ? AND threads = ? AND validation = ?"
            let arguments: StatementArguments = [key.searchID, key.arch, key.recipeJSON, key.threads, key.validation]
            if let row = try Row.fetchOne(db, sql: find, arguments: arguments) {
                let record = RetrainingRecord(row: row)
                if record.status == .finished { return record }
                if let current = record.owner, current != owner, isAlive(current, nil) {
                    throw StoreError.conflict(path: path, message: "retraining \(record.id) of \(record.key.arch) is running in process \(current); wait for it or stop it first")
                }
                try db.execute(sql: "UPDATE retrainings SET owner = ?, updated_at = \(Self.now) WHERE id = ?", arguments: [owner, record.id])
                return record
            }
            try db.execute(sql: """
                INSERT INTO retrainings (search_id, candidate_id, arch, recipe_json, seed, epochs, threads, validation, train_images, owner)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
                """, arguments: [key.searchID, key.candidateID, key.arch, key.recipeJSON, Int64(bitPattern: key.seed), key.epochs,
                                 key.threads, key.validation, key.trainImages, owner])
            guard let row = try Row.fetchOne(db, sql: find, arguments: arguments) else {
                preconditionFailure("the retraining just inserted is there")
            }
            return RetrainingRecord(row: row)
        }
    }

    /// Commits one finished epoch: the curve so far, the checkpoint to resume from, and the
    /// epoch's seconds, in one `synchronous=FULL` transaction.
    package func recordRetrainingEpoch(
        id: Int64, completedEpochs: Int, curve: [EpochPoint], checkpoint: [UInt8], epochSeconds: Double, blasKernel: String
    ) throws(StoreError) {
        let curveJSON = RetrainingCurve.encode(curve)
        try write { db in
            try db.execute(sql: """
                UPDATE retrainings SET completed_epochs = ?, curve_json = ?, checkpoint = ?, seconds = seconds + ?, blas_kernel = ?,
                       updated_at = \(Self.now)
                WHERE id = ? AND status = 'running'
                """, arguments: [completedEpochs, curveJSON, Data(checkpoint), max(epochSeconds, 0), blasKernel, id])
        }
    }

    /// Marks the retraining finished with its test accuracy and weights; the checkpoint is
    /// dropped (the weights are the state after the last epoch). Final afterwards.
    package func finishRetraining(id: Int64, weights: [UInt8], testAccuracy: Double) throws(StoreError) {
        try write { db in
            try db.execute(sql: """
                UPDATE retrainings SET status = 'finished', weights = ?, test_accuracy = ?, checkpoint = NULL, owner = NULL,
                       updated_at = \(Self.now), finished_at = \(Self.now)
                WHERE id = ? AND status = 'running'
                """, arguments: [Data(weights), testAccuracy, id])
        }
    }

    /// Gives up ownership of a running retraining (after Ctrl-C), so the next run need not wait.
    package func releaseRetraining(id: Int64) throws(StoreError) {
        try write { db in
            try db.execute(sql: "UPDATE retrainings SET owner = NULL, updated_at = \(Self.now) WHERE id = ? AND status = 'running'",
                           arguments: [id])
        }
    }
}
