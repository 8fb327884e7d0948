import GRDB
import NASStore

/// One stored epoch of a candidate's training.
package struct CurveEpoch: Sendable, Equatable {
    package var epoch: Int
    package var trainLoss: Double?
    package var trainAccuracy: Double?
    package var validationAccuracy: Double?
    package var seconds: Double?
}

/// The learning curve of one candidate: its latest attempt's stored epochs.
package struct CandidateCurve: Sendable {
    package var candidateID: Int64
    /// Name of the candidate's search.
    package var search: String
    package var arch: String
    /// The candidate's final score, if evaluated.
    package var score: Double?
    /// The attempt the epochs belong to (a retried candidate keeps its last attempt's curve).
    package var attempt: Int
    package var epochs: [CurveEpoch]
}

/// The learning curves of the candidates `layernas curves` was asked for, in the order given.
package struct CurvesReport: Sendable {
    package var database: String
    package var curves: [CandidateCurve]

    /// One row per epoch: `candidate_id`, `search`, `arch`, `attempt`, `epoch`, `train_loss`,
    /// `train_accuracy`, `validation_accuracy`, `seconds`.
    package var rows: RowArray {
        let columns = ["candidate_id", "search", "arch", "attempt", "epoch", "train_loss", "train_accuracy", "validation_accuracy", "seconds"]
        func real(_ value: Double?) -> QueryValue { value.map(QueryValue.real) ?? .null }
        var rows: [[QueryValue]] = []
        for curve in curves {
            for epoch in curve.epochs {
                rows.append([
                    .integer(curve.candidateID), .text(curve.search), .text(curve.arch), .integer(Int64(curve.attempt)),
                    .integer(Int64(epoch.epoch)), real(epoch.trainLoss), real(epoch.trainAccuracy),
                    real(epoch.validationAccuracy), real(epoch.seconds),
                ])
            }
        }
        return RowArray(columns: columns, rows: rows)
    }
}

extension QueryDatabase {
    /// The stored learning curves of `candidateIDs` (duplicates once, in the order given).
    /// - Throws: `QueryError.badRequest` naming the value for an id no candidate has, or a
    ///   candidate without stored epochs (its evaluator reported none, or it is not evaluated yet).
    package func curvesReport(candidateIDs: [Int64]) throws(QueryError) -> CurvesReport {
        let path = self.path
        try Self.checkLayerNASFile(path: path)
        var unique: [Int64] = []
        for id in candidateIDs where !unique.contains(id) { unique.append(id) }
        let curves = try read { db throws -> [CandidateCurve] in
            var curves: [CandidateCurve] = []
            for id in unique {
                guard let candidate = try QueryReads.candidateWithSearch(db, id: id) else {
                    throw QueryError.badRequest("--candidate \(id): \(path) has no candidate with this id")
                }
                var epochs: [CurveEpoch] = []
                var attempt = 0
                let rows = try QueryReads.epochs(db, candidateID: id)
                while let row = try rows.next() {
                    func number(_ column: String) -> Double? { QueryValue(row[column] as DatabaseValue).doubleValue }
                    attempt = row["attempt"]
                    epochs.append(CurveEpoch(
                        epoch: row["epoch"], trainLoss: number("train_loss"), trainAccuracy: number("train_accuracy"),
                        validationAccuracy: number("validation_accuracy"), seconds: number("seconds")))
                }
                let arch = QueryValue(candidate["arch"] as DatabaseValue).plainText ?? ""
                let search = QueryValue(candidate["search"] as DatabaseValue).plainText ?? ""
                guard !epochs.isEmpty else {
                    let status = QueryValue(candidate["status"] as DatabaseValue).plainText ?? "?"
                    throw QueryError.badRequest("--candidate \(id): candidate \(id) (\(arch), search '\(search)', \(status)) has no stored epochs; only evaluators that report a per-epoch curve (trainer, command) store them")
                }
                curves.append(CandidateCurve(
                    candidateID: id, search: search, arch: arch,
                    score: QueryValue(candidate["score"] as DatabaseValue).doubleValue, attempt: attempt, epochs: epochs))
            }
            return curves
        }
        return CurvesReport(database: path, curves: curves)
    }
}
