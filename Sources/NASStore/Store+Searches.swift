import Foundation
import GRDB
import NASSpace

extension Store {
    /// All searches in the file, by creation order.
    package func searches() throws(StoreError) -> [SearchRecord] {
        try read { db in try SearchRecord.order(SearchRecord.Columns.id).fetchAll(db) }
    }

    /// The search called `name`, if any.
    package func search(named name: String) throws(StoreError) -> SearchRecord? {
        try read { db in try SearchRecord.filter(SearchRecord.Columns.name == name).fetchOne(db) }
    }

    /// Creates a search with its layers and options, in one transaction.
    ///
    /// - Parameters:
    ///   - settingsJSON: the strategy's settings, encoded by the search loop (NASSearch owns them).
    ///   - layerBuckets: the bucket span and bucket count of each layer, in layer order.
    package func createSearch(
        name: String, strategy: SearchStrategy, space: SearchSpace, settingsJSON: String, evaluator: String, seed: UInt64,
        budget: Int?, timeLimitSeconds: Double?, layerBuckets: [(min: Double, max: Double, count: Int)]
    ) throws(StoreError) -> SearchRecord {
        precondition(layerBuckets.count == space.layers.count)
        let path = self.path
        return try write { db in
            if try Bool.fetchOne(db, sql: "SELECT 1 FROM searches WHERE name = ?", arguments: [name]) == true {
                throw StoreError.conflict(path: path, message: "a search named '\(name)' already exists")
            }
            try db.execute(
                sql: """
                    INSERT INTO searches (name, strategy, space_name, family, space_json, settings_json, evaluator, seed,
                                          target_metric, target_min, target_max, budget, time_limit_seconds)
                    VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
                    """,
                arguments: [
                    name, strategy.rawValue, space.name, space.family.rawValue, JSONText.encode(space),
                    settingsJSON, evaluator, Int64(bitPattern: seed), space.target.metric.rawValue,
                    space.target.min, space.target.max, budget, timeLimitSeconds,
                ])
            let searchID = db.lastInsertedRowID
            for (index, layer) in space.layers.enumerated() {
                let buckets = layerBuckets[index]
                try db.execute(
                    sql: "INSERT INTO layers (search_id, layer, name, default_option, bucket_min, bucket_max, buckets) VALUES (?, ?, ?, ?, ?, ?, ?)",
                    arguments: [searchID, index + 1, layer.name, layer.options[layer.defaultIndex].label, buckets.min, buckets.max, buckets.count])
                for (optionIndex, option) in layer.options.enumerated() {
                    try db.execute(
                        sql: "INSERT INTO options (search_id, layer, option_index, label, fields_json, is_default) VALUES (?, ?, ?, ?, ?, ?)",
                        arguments: [searchID, index + 1, optionIndex, option.label, JSONText.encode(option.kind), optionIndex == layer.defaultIndex])
                }
            }
            try Self.appendEvent(db, searchID: searchID, kind: "created",
                                 message: "search '\(name)' created: \(strategy) on space '\(space.name)', seed \(seed)")
            guard let record = try SearchRecord.fetchOne(db, key: searchID) else {
                throw StoreError.database(path: path, message: "the search just created cannot be read back")
            }
            return record
        }
    }

    /// Sets new budgets (raising them reopens a finished search).
    package func updateLimits(searchID: Int64, budget: Int?, timeLimitSeconds: Double?) throws(StoreError) {
        try write { db in
            try db.execute(sql: "UPDATE searches SET budget = ?, time_limit_seconds = ?, updated_at = \(Self.now) WHERE id = ?",
                           arguments: [budget, timeLimitSeconds, searchID])
            let budgetText = budget.map(String.init) ?? "none"
            let timeText = timeLimitSeconds.map { "\($0)s" } ?? "none"
            try Self.appendEvent(db, searchID: searchID, kind: "limits", message: "budget \(budgetText), time limit \(timeText)")
        }
    }

    /// Makes `owner` the process running the search, unless another live process holds it.
    ///
    /// - Parameter isAlive: tells whether a recorded owner is still running (same host and pid
    ///   alive, or a heartbeat that is recent); the caller knows the operating system.
    package func takeOwnership(
        searchID: Int64, owner: String, now: Double, isAlive: @Sendable (String, Double?) -> Bool
    ) throws(StoreError) {
        let path = self.path
        try write { db in
            let row = try Row.fetchOne(db, sql: "SELECT owner, owner_heartbeat_at FROM searches WHERE id = ?", arguments: [searchID])
            let current: String? = row?["owner"]
            let heartbeat: Double? = row?["owner_heartbeat_at"]
            if let current, current != owner, isAlive(current, heartbeat) {
                throw StoreError.conflict(path: path, message: "the search is being run by process \(current); stop it first or wait for it to finish")
            }
            try db.execute(sql: "UPDATE searches SET owner = ?, owner_heartbeat_at = ?, status = 'running', updated_at = \(Self.now) WHERE id = ?",
                           arguments: [owner, now, searchID])
            let message = current.map { "resumed by \(owner) (previous owner \($0) is gone)" } ?? "started by \(owner)"
            try Self.appendEvent(db, searchID: searchID, kind: "started", message: message)
        }
    }

    /// Records that the search stopped (`finished` when it cannot go on without new limits,
    /// `stopped` when interrupted), releases ownership, and logs why.
    package func endRun(searchID: Int64, status: SearchStatus, reason: String, elapsedSeconds: Double) throws(StoreError) {
        // A run cannot end as created or running: that would leave a search nobody owns looking busy.
        precondition(status.isEndOfRun, "a run ends stopped, finished or failed")
        try write { db in
            try db.execute(
                sql: """
                    UPDATE searches SET status = ?, stop_reason = ?, owner = NULL, owner_heartbeat_at = NULL,
                           elapsed_seconds = ?, updated_at = \(Self.now) WHERE id = ?
                    """,
                arguments: [status.rawValue, reason, elapsedSeconds, searchID])
            try Self.appendEvent(db, searchID: searchID, kind: status == .stopped ? "interrupted" : status.rawValue, message: reason)
        }
    }

    /// Records the number of completed rounds.
    package func recordRounds(searchID: Int64, rounds: Int) throws(StoreError) {
        try write { db in
            try db.execute(sql: "UPDATE searches SET rounds = ? WHERE id = ?", arguments: [rounds, searchID])
        }
    }

    /// SQL expression for the current time as ISO-8601 UTC text.
    static let now = "strftime('%Y-%m-%dT%H:%M:%fZ', 'now')"

    static func appendEvent(
        _ db: Database, searchID: Int64, kind: String, message: String,
        candidateID: Int64? = nil, layer: Int? = nil, detailJSON: String? = nil
    ) throws {
        try db.execute(
            sql: "INSERT INTO events (search_id, kind, candidate_id, layer, message, detail_json) VALUES (?, ?, ?, ?, ?, ?)",
            arguments: [searchID, kind, candidateID, layer, message, detailJSON])
    }
}
