import GRDB
import NASSpace

extension Store {
    /// Loads everything a search loop needs to continue.
    package func loadState(searchID: Int64) throws(StoreError) -> StoredSearchState {
        let path = self.path
        return try read { db in
            guard let search = try SearchRecord.fetchOne(db, key: searchID) else {
                throw StoreError.conflict(path: path, message: "no search with id \(searchID)")
            }
            let candidates = try CandidateRecord
                .filter(CandidateRecord.Columns.searchID == searchID).order(CandidateRecord.Columns.seq).fetchAll(db)
            let memberships = try MembershipRecord
                .filter(MembershipRecord.Columns.searchID == searchID).order(MembershipRecord.Columns.offer).fetchAll(db)
            let steps = try StepRecord
                .filter(StepRecord.Columns.searchID == searchID).order(StepRecord.Columns.step).fetchAll(db)
            return StoredSearchState(search: search, candidates: candidates, memberships: memberships, steps: steps)
        }
    }

    /// Commits a step: its parents, every child it generated (pending or dropped) and the
    /// expansion marks, in one transaction. Returns the ids of the new candidates in `seq` order.
    package func commitStep(searchID: Int64, plan: StepPlan) throws(StoreError) -> [Int64] {
        try write { db in
            try db.execute(
                sql: "INSERT INTO steps (search_id, step, round, layer, parents_json, status) VALUES (?, ?, ?, ?, ?, ?)",
                arguments: [searchID, plan.step, plan.round, plan.layer, JSONText.encode(plan.parents), StepStatus.planned.rawValue])
            var ids: [Int64] = []
            for candidate in plan.candidates {
                try db.execute(
                    sql: """
                        INSERT INTO candidates (search_id, arch, options_json, cost, madds, params, custom_cost, in_window,
                                                status, parent_id, layer, step, seq)
                        VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
                        """,
                    arguments: [
                        searchID, candidate.arch, JSONText.encode(candidate.optionLabels), candidate.cost,
                        candidate.costs.madds, candidate.costs.params, candidate.costs.cost, candidate.inWindow,
                        candidate.status.rawValue, candidate.parentID, candidate.layer, plan.step, candidate.seq,
                    ])
                let id = db.lastInsertedRowID
                ids.append(id)
                if candidate.status == .dropped {
                    try Self.appendEvent(db, searchID: searchID, kind: "dropped", message: "\(candidate.arch) cannot reach the target window",
                                         candidateID: id, layer: candidate.layer)
                }
            }
            for mark in plan.expanded {
                try db.execute(sql: "UPDATE memberships SET expanded = 1 WHERE search_id = ? AND layer = ? AND candidate_id = ?",
                               arguments: [searchID, mark.layer, mark.candidateID])
            }
            try Self.appendEvent(db, searchID: searchID, kind: "step", message: plan.message, layer: plan.layer)
            return ids
        }
    }

    /// Marks a step done once all its children are final.
    package func completeStep(searchID: Int64, step: Int) throws(StoreError) {
        try write { db in
            try db.execute(sql: "UPDATE steps SET status = ? WHERE search_id = ? AND step = ?", arguments: [StepStatus.done.rawValue, searchID, step])
        }
    }
}
