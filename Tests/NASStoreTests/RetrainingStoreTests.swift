import Foundation
import GRDB
import NASSpace
import NASTestSupport
import Testing
@testable import NASStore

/// The `retrainings` table of migration 0006 (docs/ARCHITECTURE.md#retraining-and-onnx-export):
/// one row per identity, resumed by the same identity, final once finished, removed only with its
/// whole search; the views read it.
@Suite struct RetrainingStoreTests {
    struct Fixture {
        let directory: TemporaryDirectory
        let store: Store
    }

    private func storeWithEvaluatedCandidate() throws -> Fixture {
        let directory = try TemporaryDirectory()
        let store = try Store(path: directory.path("r.db"))
        try store.write { db in
            try db.execute(sql: """
                INSERT INTO searches (id, name, strategy, space_name, family, space_json, settings_json, evaluator,
                                      seed, target_metric, target_min, target_max)
                VALUES (1, 's', 'layernas', 'm', 'mlp', '{}', '{}', 'trainer', 1, 'params', 8, 9);
                INSERT INTO steps (search_id, step, round, layer, parents_json, status) VALUES (1, 1, 1, 1, '[]', 'done');
                INSERT INTO candidates (id, search_id, arch, options_json, cost, in_window, status, score, seq, step)
                VALUES (7, 1, '64-32', '["64","32"]', 9, 1, 'evaluated', 0.8, 1, 1);
                """)
        }
        return Fixture(directory: directory, store: store)
    }

    static func key(threads: Int = 2) -> RetrainingKey {
        RetrainingKey(searchID: 1, candidateID: 7, arch: "64-32", recipeJSON: #"{"epochs":2}"#, seed: 1, epochs: 2,
                      threads: threads, validation: false, trainImages: 60_000)
    }

    @Test func theSameKeyResumesTheSameRowAndALiveOwnerIsRefused() throws {
        let fixture = try storeWithEvaluatedCandidate()
        let store = fixture.store
        let first = try store.claimRetraining(Self.key(), owner: "host:1@1", isAlive: { _, _ in false })
        #expect(first.status == .running && first.completedEpochs == 0 && first.curve.isEmpty)
        let point = EpochPoint(epoch: 1, trainLoss: 0.5, trainAccuracy: 0.8, validationAccuracy: nil, seconds: 2)
        try store.recordRetrainingEpoch(id: first.id, completedEpochs: 1, curve: [point], checkpoint: [1, 2, 3],
                                        epochSeconds: 2, blasKernel: "Haswell")
        // A dead owner's retraining is taken over with its checkpoint and curve.
        let again = try store.claimRetraining(Self.key(), owner: "host:2@2", isAlive: { _, _ in false })
        #expect(again.id == first.id && again.completedEpochs == 1 && again.curve == [point] && again.seconds == 2)
        #expect(try store.retrainingCheckpoint(id: first.id) == [1, 2, 3])
        // A live owner's is refused, naming it.
        #expect(throws: StoreError.self) {
            _ = try store.claimRetraining(Self.key(), owner: "host:3@3", isAlive: { owner, _ in owner == "host:2@2" })
        }
        // Another thread count is another retraining.
        let other = try store.claimRetraining(Self.key(threads: 1), owner: "host:3@3", isAlive: { _, _ in true })
        #expect(other.id != first.id)
    }

    @Test func aFinishedRetrainingIsFinalAndLeavesOnlyWithItsSearch() throws {
        let fixture = try storeWithEvaluatedCandidate()
        let store = fixture.store
        let record = try store.claimRetraining(Self.key(), owner: "host:1@1", isAlive: { _, _ in false })
        let curve = [1, 2].map { EpochPoint(epoch: $0, trainLoss: 0.5, trainAccuracy: 0.8, validationAccuracy: nil, seconds: 1) }
        try store.recordRetrainingEpoch(id: record.id, completedEpochs: 2, curve: curve, checkpoint: [9], epochSeconds: 1, blasKernel: "x")
        try store.finishRetraining(id: record.id, weights: [4, 5, 6, 7], testAccuracy: 0.875)
        let finished = try #require(try store.retrainings(searchID: 1).first)
        #expect(finished.status == .finished && finished.testAccuracy == 0.875 && finished.weightsBytes == 4)
        #expect(try store.retrainingWeights(id: record.id) == [4, 5, 6, 7])
        #expect(try store.retrainingCheckpoint(id: record.id) == nil)
        // Claiming it again returns it as it is.
        #expect(try store.claimRetraining(Self.key(), owner: "host:9@9", isAlive: { _, _ in true }) == finished)
        #expect(throws: DatabaseError.self) {
            try store.writer.write { db in try db.execute(sql: "UPDATE retrainings SET test_accuracy = 0.99") }
        }
        #expect(throws: DatabaseError.self) {
            try store.writer.write { db in try db.execute(sql: "DELETE FROM retrainings") }
        }
        // The views expose it without blobs, and its curve one row per epoch.
        let view = try store.read { db -> [String] in
            let row = try Row.fetchOne(db, sql: """
                SELECT search, candidate_id, status, test_accuracy, weights_location, weights_bytes, search_score FROM retraining_details
                """)
            return row.map { row in row.columnNames.map { "\(row[$0] as DatabaseValue)" } } ?? []
        }
        #expect(view == [#""s""#, "7", #""finished""#, "0.875", #""retrainings.weights""#, "4", "0.8"])
        let epochs = try store.read { db in
            try String.fetchAll(db, sql: "SELECT epoch || ':' || train_loss || ':' || ifnull(validation_accuracy, 'null') FROM retraining_epochs ORDER BY epoch")
        }
        #expect(epochs == ["1:0.5:null", "2:0.5:null"])
        // A whole-search delete removes it.
        _ = try store.deleteSearch(searchID: 1, isAlive: { _, _ in false }, removeFiles: { _ in })
        #expect(try store.read { db in try Int.fetchOne(db, sql: "SELECT count(*) FROM retrainings") } == 0)
    }
}
