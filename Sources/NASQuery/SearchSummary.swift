import GRDB
import NASSpace
import NASStore

/// What the query layer needs to know about one search of a database.
package struct SearchSummary: Sendable, Equatable {
    /// Row id of the search.
    package var id: Int64
    /// Unique name of the search.
    package var name: String
    /// How the search chooses candidates.
    package var strategy: SearchStrategy
    /// Model family of the search space.
    package var family: SpaceFamily
    /// The metric of the target window; the `cost` column holds its value.
    package var targetMetric: CostMetric
    /// Lower bound of the target cost window.
    package var targetMin: Double
    /// Upper bound of the target cost window.
    package var targetMax: Double
    /// Names of the search layers, layer 1 first.
    package var layerNames: [String]
    /// The evaluator in `--evaluator` syntax (`trainer`, `synthetic:7`, `table:PATH`, `command:CMD`).
    package var evaluator: String = ""
    /// The evaluation budget, if the search has one.
    package var budget: Int? = nil
}

/// Which searches of a database a command is about.
package enum SearchSelection: Sendable, Equatable {
    /// The only search of the file (an error when there are several).
    case only
    /// The named searches, in the order given.
    case named([String])
    /// Every search, in creation order.
    case all
}

extension QueryDatabase {
    /// Every search in the file, in creation order.
    /// - Throws: `QueryError.notLayerNASDatabase` for a file layernas did not create; the file
    ///   must hold exactly the migrations this layernas knows, checked as `Store` checks it.
    package func searches() throws(QueryError) -> [SearchSummary] {
        let path = self.path
        try Self.checkLayerNASFile(path: path)
        return try read { db in
            let layerNames = try QueryReads.layerNamesBySearch(db)
            let rows = try QueryReads.searches(db)
            var result: [SearchSummary] = []
            while let row = try rows.next() {
                let id: Int64 = row["id"]
                let name: String = row["name"] ?? ""
                guard let strategy = (row["strategy"] as String?).flatMap(SearchStrategy.init(rawValue:)),
                      let family = (row["family"] as String?).flatMap(SpaceFamily.init(rawValue:)),
                      let metric = (row["target_metric"] as String?).flatMap(CostMetric.init(rawValue:)) else {
                    throw QueryError.database(path: path, message: "search '\(name)' has a strategy, family or target metric this layernas does not know")
                }
                result.append(SearchSummary(
                    id: id, name: name, strategy: strategy, family: family, targetMetric: metric,
                    targetMin: QueryValue(row["target_min"] as DatabaseValue).doubleValue ?? 0,
                    targetMax: QueryValue(row["target_max"] as DatabaseValue).doubleValue ?? 0,
                    layerNames: layerNames[id] ?? [],
                    evaluator: row["evaluator"] ?? "",
                    budget: row["budget"]))
            }
            return result
        }
    }

    /// Refuses a file that is not a layernas database with exactly the migrations this binary
    /// knows, with the check `Store` opens files with (one owner for what "ours" means).
    static func checkLayerNASFile(path: String) throws(QueryError) {
        do {
            try Store.checkReadable(path: path)
        } catch {
            switch error {
            case .notLayerNASDatabase: throw QueryError.notLayerNASDatabase(path: path)
            case .notADatabase: throw QueryError.cannotOpen(path: path, reason: "not an SQLite database")
            case .cannotOpen(_, let reason): throw QueryError.cannotOpen(path: path, reason: reason)
            case .database(_, let message): throw QueryError.database(path: path, message: message)
            // Store's own sentence already names the file and tells what to do.
            case .missing, .notAFile, .newerVersion, .conflict, .damaged, .diskFull: throw QueryError.badRequest(error.description)
            }
        }
    }

    /// The searches `selection` names.
    /// - Throws: `QueryError.badRequest` naming the unknown search, or asking for `--name` or
    ///   `--all` when the file holds several.
    package func searches(_ selection: SearchSelection) throws(QueryError) -> [SearchSummary] {
        let available = try searches()
        func choose(_ name: String?) throws(QueryError) -> SearchSummary {
            let choice = SearchChoice.choose(name, among: available, nameOf: \.name)
            guard case .found(let search) = choice else {
                throw QueryError.badRequest(choice.refusal(path: path, severalAdvice: "choose with --name NAME or --all") ?? "")
            }
            return search
        }
        switch selection {
        case .all:
            guard !available.isEmpty else { throw QueryError.badRequest("\(path): holds no search yet") }
            return available
        case .only:
            return [try choose(nil)]
        case .named(let wanted):
            var chosen: [SearchSummary] = []
            for name in wanted where !chosen.contains(where: { $0.name == name }) {
                chosen.append(try choose(name))
            }
            return chosen
        }
    }
}
