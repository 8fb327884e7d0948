import Foundation
import GRDB
import NASStore

/// Which candidates a Pareto front is computed over.
package enum ParetoSource: String, Sendable, CaseIterable {
    /// Every evaluated candidate (failed, dropped and waiting ones are left out).
    case evaluated
    /// The kept members of the last layer's store M_L (LayerNAS searches only).
    case finalBuckets = "final-buckets"
}

/// A candidate on a Pareto front, with everything needed to rebuild or report it.
package struct ParetoPoint: Sendable, Equatable {
    /// Name of the search the point comes from.
    package var search: String
    /// Row id of the candidate.
    package var candidateID: Int64
    /// Order in which the candidate was created within its search.
    package var seq: Int64
    /// Canonical key (labels joined by `-`).
    package var arch: String
    /// Option label per layer, layer 1 first.
    package var options: [String]
    /// Evaluator's score for the candidate.
    package var score: Double
    /// Value of the search's target metric.
    package var cost: Double
    /// Cost from a custom cost command, if any.
    package var customCost: Double?
    /// Multiply-adds, if computed.
    package var madds: Int64?
    /// Parameter count, if computed.
    package var params: Int64?
    /// Whether the cost falls inside the search's target window.
    package var inWindow: Bool
    /// Search layer where it was generated (nil for baseline strategies).
    package var layer: Int64?
    /// The objective values, in the order of the report's objectives.
    package var values: [Double]
}

/// A considered candidate as a plot names it in a tooltip and colours it.
package struct PlotCandidate: Sendable, Equatable {
    /// Row id of the candidate.
    package var id: Int64
    /// Canonical key (labels joined by `-`).
    package var arch: String
    /// Whether the cost falls inside the search's target window.
    package var inWindow: Bool
}

/// The front of one search, and what it was computed from.
package struct SearchFront: Sendable {
    /// The search the front belongs to.
    package var search: SearchSummary
    /// Candidates with a value for every objective.
    package var considered: Int
    /// Candidates left out because an objective was NULL or NaN.
    package var excluded: Int
    /// Objective values of every considered candidate, `objectives.count` per candidate (filled
    /// when the report was asked to keep them, for plots).
    package var values: [Double]
    /// Every considered candidate, in the order of `values` (filled with `values`).
    package var plotted: [PlotCandidate] = []
    /// The non-dominated candidates, best first on the first objective, then on the next ones,
    /// then by candidate id (generation order).
    package var front: [ParetoPoint]
    /// The answer of the search: its best evaluated in-window candidate (`Ranking`), nil when
    /// none is evaluated yet. It need not be on a front of other objectives than score and cost.
    package var answer: ParetoPoint? = nil
}

/// The Pareto fronts of one or more searches over the same objectives.
package struct ParetoReport: Sendable {
    /// Path of the database the report was read from.
    package var database: String
    /// Objectives the front trades off.
    package var objectives: [Objective]
    /// Which candidates the front was computed over.
    package var source: ParetoSource
    /// One Pareto front per search.
    package var searches: [SearchFront]
}

extension QueryDatabase {
    /// Computes the front of every selected search, each on its own candidates.
    ///
    /// - Parameters:
    ///   - objectives: two or more; nil means score:max and the searches' target metric:min.
    ///   - keepValues: keep every considered candidate's objective values (for a plot).
    /// - Complexity: O(n log n) per search of n candidates for two objectives (see
    ///   `ParetoFront`), plus one indexed read per front member.
    package func paretoReport(
        selection: SearchSelection, objectives: [Objective]?, source: ParetoSource, keepValues: Bool
    ) throws(QueryError) -> ParetoReport {
        let searches = try searches(selection)
        let objectives = if let objectives { objectives } else { try Objective.defaults(for: searches) }
        precondition(objectives.count >= 2, "a front needs two objectives")
        for search in searches {
            for objective in objectives { try objective.check(against: search) }
            // Baseline searches also have `layers` rows (for the option columns), so the stored
            // strategy is the only sign of layer stores M_1..M_L.
            if source == .finalBuckets && !search.strategy.hasLayerStores {
                throw QueryError.badRequest("--source final-buckets: search '\(search.name)' (\(search.strategy.rawValue)) has no layer stores; use --source evaluated")
            }
        }
        let path = self.path
        let fronts = try read { db in
            try searches.map { search in
                try Self.front(of: search, objectives: objectives, source: source, keepValues: keepValues, db: db)
            }
        }
        return ParetoReport(database: path, objectives: objectives, source: source, searches: fronts)
    }

    private static func front(
        of search: SearchSummary, objectives: [Objective], source: ParetoSource, keepValues: Bool, db: Database
    ) throws -> SearchFront {
        let dimensions = objectives.count
        var ids: [Int64] = []
        var minimized: [Double] = []
        var natural: [Double] = []
        var excluded = 0
        var values = [Double](repeating: 0, count: dimensions)
        var plotted: [PlotCandidate] = []
        // A plot also names and colours every dot: two more columns after the objectives.
        let plotColumns = keepValues ? ["arch", "in_window"] : []
        let rows = try QueryReads.evaluatedCandidates(
            db, searchID: search.id, columns: objectives.map { $0.metric.column(for: search) } + plotColumns,
            lastStoreOnly: source == .finalBuckets)
        while let row = try rows.next() {
            var complete = true
            // By position: objective columns may repeat a name (score twice, cost twice).
            for index in 0..<dimensions {
                guard let value = QueryValue(row[index + 1] as DatabaseValue).doubleValue, !value.isNaN else {
                    complete = false
                    break
                }
                values[index] = value
            }
            guard complete else {
                excluded += 1
                continue
            }
            ids.append(row[0])
            for index in 0..<dimensions { minimized.append(objectives[index].minimized(values[index])) }
            if keepValues {
                natural.append(contentsOf: values)
                let arch = QueryValue(row[dimensions + 1] as DatabaseValue).plainText ?? ""
                let inWindow = (QueryValue(row[dimensions + 2] as DatabaseValue).doubleValue ?? 0) != 0
                plotted.append(PlotCandidate(id: row[0], arch: arch, inWindow: inWindow))
            }
        }
        // Best first on each objective in turn, then by candidate id: independent of read order.
        let frontIndices = ParetoFront.indices(flat: minimized, dimensions: dimensions).sorted { left, right in
            for dimension in 0..<dimensions where minimized[left * dimensions + dimension] != minimized[right * dimensions + dimension] {
                return minimized[left * dimensions + dimension] < minimized[right * dimensions + dimension]
            }
            return ids[left] < ids[right]
        }
        let objectiveColumns = objectives.map { $0.metric.column(for: search) }
        let details = try QueryReads.candidateByID(db, extraColumns: Set(objectiveColumns).sorted())
        // A column as a number: nil for NULL and for values SQLite does not store as numbers.
        func number(_ row: Row, _ column: String) -> Double? { QueryValue(row[column] as DatabaseValue).doubleValue }
        // A column as an integer: nil for NULL and non-numbers, reals truncated as SQLite does.
        func integer(_ row: Row, _ column: String) -> Int64? {
            switch QueryValue(row[column] as DatabaseValue) {
            case .null: return nil
            case .integer(let value): return value
            case .real(let value): return Int64(exactly: value.rounded(.towardZero)) ?? 0
            case .text, .blob: return nil
            }
        }
        func point(_ id: Int64) throws -> ParetoPoint? {
            guard let row = try Row.fetchOne(details, arguments: [id]) else { return nil }
            let optionsJSON = QueryValue(row["options_json"] as DatabaseValue).plainText ?? "[]"
            let options = (try? JSONDecoder().decode([String].self, from: Data(optionsJSON.utf8))) ?? []
            return ParetoPoint(
                search: search.name, candidateID: id, seq: integer(row, "seq") ?? 0, arch: QueryValue(row["arch"] as DatabaseValue).plainText ?? "",
                options: options, score: number(row, "score") ?? .nan, cost: number(row, "cost") ?? .nan,
                customCost: number(row, "custom_cost"), madds: integer(row, "madds"),
                params: integer(row, "params"), inWindow: (integer(row, "in_window") ?? 0) != 0,
                layer: integer(row, "layer"),
                values: objectiveColumns.map { number(row, $0) ?? .nan })
        }
        var front: [ParetoPoint] = []
        front.reserveCapacity(frontIndices.count)
        for index in frontIndices {
            if let member = try point(ids[index]) { front.append(member) }
        }
        let answer = try QueryReads.answerID(db, searchID: search.id).flatMap(point)
        return SearchFront(search: search, considered: ids.count, excluded: excluded, values: natural,
                           plotted: plotted, front: front, answer: answer)
    }
}
