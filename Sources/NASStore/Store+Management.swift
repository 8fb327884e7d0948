import Foundation
import GRDB

/// What `deleteSearch` removed.
package struct DeletedSearch: Sendable, Equatable {
    package var name: String
    /// Candidates of every status, and of those the evaluated ones (results that are gone).
    package var candidates: Int
    package var evaluated: Int
    /// Ids of the removed candidates: their working directories are `<artifacts>/<id>`.
    package var candidateIDs: [Int64]
}

extension Store {
    /// Deletes the search `searchID` with every row that belongs to it, in one transaction
    /// (docs/ARCHITECTURE.md#deleting-a-search): the only way rows of evaluated candidates and
    /// events ever leave a database (migration 0005).
    ///
    /// - Parameters:
    ///   - isAlive: tells whether a recorded owner still runs; a search a live process runs is refused.
    ///   - removeFiles: called inside the transaction with the ids of the search's candidates, so the
    ///     caller removes their working directories while no other process can add a candidate that
    ///     would reuse an id; when it throws, nothing is deleted.
    @discardableResult
    package func deleteSearch(
        searchID: Int64, isAlive: @Sendable (String, Double?) -> Bool,
        removeFiles: @Sendable ([Int64]) throws -> Void
    ) throws(StoreError) -> DeletedSearch {
        let path = self.path
        return try write { db in
            let record = try Self.searchNotRunElsewhere(db, searchID: searchID, path: path, isAlive: isAlive, doing: "delete")
            let ids = try Int64.fetchAll(db, sql: "SELECT id FROM candidates WHERE search_id = ? ORDER BY id", arguments: [searchID])
            let evaluated = try Int.fetchOne(
                db, sql: "SELECT count(*) FROM candidates WHERE search_id = ? AND status = 'evaluated'", arguments: [searchID]) ?? 0
            try db.execute(sql: "INSERT INTO search_deletions (search_id) VALUES (?)", arguments: [searchID])
            // Children before parents; SQLite checks foreign keys at the end of each statement.
            let statements = [
                "DELETE FROM epochs WHERE candidate_id IN (SELECT id FROM candidates WHERE search_id = ?)",
                "DELETE FROM retrainings WHERE search_id = ?",
                "DELETE FROM events WHERE search_id = ?",
                "DELETE FROM memberships WHERE search_id = ?",
                "DELETE FROM candidates WHERE search_id = ?",
                "DELETE FROM steps WHERE search_id = ?",
                "DELETE FROM options WHERE search_id = ?",
                "DELETE FROM layers WHERE search_id = ?",
                "DELETE FROM searches WHERE id = ?",
                "DELETE FROM search_deletions WHERE search_id = ?",
            ]
            for sql in statements {
                try db.execute(sql: sql, arguments: [searchID])
            }
            try removeFiles(ids)
            return DeletedSearch(name: record.name, candidates: ids.count, evaluated: evaluated, candidateIDs: ids)
        }
    }

    /// Gives the search `searchID` the name `newName`, which no other search in the file has.
    package func renameSearch(
        searchID: Int64, to newName: String, isAlive: @Sendable (String, Double?) -> Bool
    ) throws(StoreError) {
        let path = self.path
        try write { db in
            let record = try Self.searchNotRunElsewhere(db, searchID: searchID, path: path, isAlive: isAlive, doing: "rename")
            guard record.name != newName else { return }
            if try Bool.fetchOne(db, sql: "SELECT 1 FROM searches WHERE name = ?", arguments: [newName]) == true {
                throw StoreError.conflict(path: path, message: "a search named '\(newName)' already exists; choose another name")
            }
            try db.execute(sql: "UPDATE searches SET name = ?, updated_at = \(Self.now) WHERE id = ?", arguments: [newName, searchID])
            try Self.appendEvent(db, searchID: searchID, kind: "renamed", message: "renamed from '\(record.name)' to '\(newName)'")
        }
    }

    /// The search, read inside the caller's write transaction, unless a live process other than
    /// this one runs it: the check and the change then happen under one lock, so a search that
    /// starts meanwhile waits for the change instead of losing its rows under it.
    private static func searchNotRunElsewhere(
        _ db: Database, searchID: Int64, path: String, isAlive: (String, Double?) -> Bool, doing action: String
    ) throws -> SearchRecord {
        guard let record = try SearchRecord.fetchOne(db, key: searchID) else {
            throw StoreError.conflict(path: path, message: "the search no longer exists")
        }
        if let owner = record.owner, isAlive(owner, record.ownerHeartbeatAt) {
            throw StoreError.conflict(
                path: path,
                message: "search '\(record.name)' is being run by process \(owner); stop it first (Ctrl-C), then \(action) it")
        }
        return record
    }
}
