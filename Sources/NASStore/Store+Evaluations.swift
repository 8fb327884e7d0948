import Foundation
import GRDB
import NASSpace

extension Store {
    /// Puts back to `pending` every candidate left `running` by a process that is gone, so it is
    /// evaluated again. Returns their ids.
    package func reclaimRunning(searchID: Int64) throws(StoreError) -> [Int64] {
        try write { db in
            let ids = try Int64.fetchAll(db, sql: "SELECT id FROM candidates WHERE search_id = ? AND status = 'running' ORDER BY seq",
                                         arguments: [searchID])
            for id in ids {
                try db.execute(sql: "UPDATE candidates SET status = 'pending', lease_owner = NULL, lease_expires_at = NULL WHERE id = ?",
                               arguments: [id])
                try db.execute(sql: "DELETE FROM epochs WHERE candidate_id = ?", arguments: [id])
                try Self.appendEvent(db, searchID: searchID, kind: "reclaimed", message: "evaluation interrupted earlier; will run again",
                                     candidateID: id)
            }
            return ids
        }
    }

    /// Takes a pending candidate for evaluation: `running`, leased to `owner`, one more attempt.
    /// Returns the attempt number. Compare-and-set: fails if the candidate is not pending.
    package func claim(candidateID: Int64, owner: String, leaseSeconds: Double, now: Double) throws(StoreError) -> Int {
        let path = self.path
        return try write { db in
            try db.execute(
                sql: """
                    UPDATE candidates SET status = 'running', attempts = attempts + 1, lease_owner = ?, lease_expires_at = ?,
                           started_at = \(Self.now) WHERE id = ? AND status = 'pending'
                    """,
                arguments: [owner, now + leaseSeconds, candidateID])
            guard db.changesCount == 1 else {
                throw StoreError.conflict(path: path, message: "candidate \(candidateID) is no longer pending")
            }
            return try Int.fetchOne(db, sql: "SELECT attempts FROM candidates WHERE id = ?", arguments: [candidateID]) ?? 1
        }
    }

    /// Extends the lease of a running evaluation and the search's heartbeat, so other processes
    /// see the owner alive during a long evaluation. Only the lease holder can renew it.
    package func renewLease(searchID: Int64, candidateID: Int64, owner: String, expiresAt: Double, now: Double) throws(StoreError) {
        try write { db in
            try db.execute(
                sql: "UPDATE candidates SET lease_expires_at = ? WHERE id = ? AND lease_owner = ? AND status = 'running'",
                arguments: [expiresAt, candidateID, owner])
            try db.execute(sql: "UPDATE searches SET owner_heartbeat_at = ? WHERE id = ? AND owner = ?",
                           arguments: [now, searchID, owner])
        }
    }

    /// Puts a running candidate back to pending (the run was interrupted before it finished).
    package func release(candidateID: Int64) throws(StoreError) {
        try write { db in
            try db.execute(
                sql: "UPDATE candidates SET status = 'pending', lease_owner = NULL, lease_expires_at = NULL WHERE id = ? AND status = 'running'",
                arguments: [candidateID])
            try db.execute(sql: "DELETE FROM epochs WHERE candidate_id = ?", arguments: [candidateID])
        }
    }

    /// Puts a candidate whose evaluation failed transiently back to pending, keeping the reason
    /// and its attempt count, so it is tried again.
    package func retry(searchID: Int64, candidateID: Int64, reason: String) throws(StoreError) {
        try write { db in
            try db.execute(
                sql: "UPDATE candidates SET status = 'pending', error = ?, lease_owner = NULL, lease_expires_at = NULL WHERE id = ? AND status = 'running'",
                arguments: [reason, candidateID])
            try db.execute(sql: "DELETE FROM epochs WHERE candidate_id = ?", arguments: [candidateID])
            try Self.appendEvent(db, searchID: searchID, kind: "retry", message: reason, candidateID: candidateID)
        }
    }

    /// Commits a finished evaluation, in one durable transaction with the search clock and — when
    /// `offered` — with its consequences for the per-layer stores. A result committed with
    /// `offered: false` gets its consequences later from `recordOffer`, in generation order.
    package func recordEvaluation(
        searchID: Int64, candidateID: Int64, attempt: Int, evaluation: EvaluationRecord,
        changes: [MembershipChange], offered: Bool, elapsedSeconds: Double
    ) throws(StoreError) {
        precondition(offered || changes.isEmpty, "store changes are applied only with the offer")
        try write { db in
            try db.execute(
                sql: """
                    UPDATE candidates SET status = 'evaluated', score = ?, metrics_json = ?, recipe_json = ?, seed = ?, epochs = ?,
                           seconds = ?, error = NULL, finished_at = \(Self.now), lease_owner = NULL, lease_expires_at = NULL,
                           offered = ?
                    WHERE id = ?
                    """,
                arguments: [
                    evaluation.score, evaluation.metricsJSON, evaluation.recipeJSON, evaluation.seed.map { Int64(bitPattern: $0) },
                    evaluation.epochCount, evaluation.seconds, offered, candidateID,
                ])
            for row in evaluation.curve {
                try db.execute(
                    sql: """
                        INSERT OR REPLACE INTO epochs (candidate_id, attempt, epoch, train_loss, train_accuracy, validation_accuracy, seconds)
                        VALUES (?, ?, ?, ?, ?, ?, ?)
                        """,
                    arguments: [candidateID, attempt, row.epoch, row.trainLoss, row.trainAccuracy, row.validationAccuracy, row.seconds])
            }
            try Self.apply(changes, db: db, searchID: searchID)
            try db.execute(sql: "UPDATE searches SET elapsed_seconds = ?, owner_heartbeat_at = ?, updated_at = \(Self.now) WHERE id = ?",
                           arguments: [elapsedSeconds, Date().timeIntervalSince1970, searchID])
        }
    }

    /// Commits a failed evaluation with its reason. A failed candidate is never stored in a bucket.
    package func recordFailure(searchID: Int64, candidateID: Int64, reason: String, seconds: Double, elapsedSeconds: Double) throws(StoreError) {
        try write { db in
            try db.execute(
                sql: """
                    UPDATE candidates SET status = 'failed', error = ?, seconds = ?, finished_at = \(Self.now),
                           lease_owner = NULL, lease_expires_at = NULL WHERE id = ?
                    """,
                arguments: [reason, seconds, candidateID])
            try Self.appendEvent(db, searchID: searchID, kind: "failed", message: reason, candidateID: candidateID)
            try db.execute(sql: "UPDATE searches SET elapsed_seconds = ?, updated_at = \(Self.now) WHERE id = ?",
                           arguments: [elapsedSeconds, searchID])
        }
    }

    /// Offers an evaluated candidate to the per-layer stores: applies its consequences and marks
    /// it offered, in one transaction.
    package func recordOffer(searchID: Int64, candidateID: Int64, changes: [MembershipChange]) throws(StoreError) {
        try write { db in
            try Self.apply(changes, db: db, searchID: searchID)
            try db.execute(sql: "UPDATE candidates SET offered = 1 WHERE id = ?", arguments: [candidateID])
        }
    }

    private static func apply(_ changes: [MembershipChange], db: Database, searchID: Int64) throws {
        for change in changes {
            switch change {
            case .admit(let layer, let candidateID, let bucket, let offer):
                try db.execute(
                    sql: "INSERT INTO memberships (search_id, layer, candidate_id, bucket, state, offer) VALUES (?, ?, ?, ?, 'kept', ?)",
                    arguments: [searchID, layer, candidateID, bucket, offer])
            case .reject(let layer, let candidateID, let bucket, let offer):
                try db.execute(
                    sql: "INSERT INTO memberships (search_id, layer, candidate_id, bucket, state, offer) VALUES (?, ?, ?, ?, 'rejected', ?)",
                    arguments: [searchID, layer, candidateID, bucket, offer])
            case .evict(let layer, let candidateID, let by):
                try db.execute(
                    sql: "UPDATE memberships SET state = 'evicted', evicted_by = ? WHERE search_id = ? AND layer = ? AND candidate_id = ? AND state = 'kept'",
                    arguments: [by, searchID, layer, candidateID])
                try appendEvent(db, searchID: searchID, kind: "evicted", message: "evicted by candidate \(by)",
                                candidateID: candidateID, layer: layer)
            }
        }
    }
}
