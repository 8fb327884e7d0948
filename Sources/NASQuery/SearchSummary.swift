import NASSpace

/// What the query layer needs to know about one search of a database.
public struct SearchSummary: Sendable, Equatable {
    public var id: Int64
    public var name: String
    public var strategy: String
    public var family: SpaceFamily
    /// The metric of the target window; the `cost` column holds its value.
    public var targetMetric: CostMetric
    public var targetMin: Double
    public var targetMax: Double
    /// Names of the search layers, layer 1 first.
    public var layerNames: [String]

    public init(id: Int64, name: String, strategy: String, family: SpaceFamily, targetMetric: CostMetric,
                targetMin: Double, targetMax: Double, layerNames: [String]) {
        self.id = id
        self.name = name
        self.strategy = strategy
        self.family = family
        self.targetMetric = targetMetric
        self.targetMin = targetMin
        self.targetMax = targetMax
        self.layerNames = layerNames
    }
}

/// Which searches of a database a command is about.
public enum SearchSelection: Sendable, Equatable {
    /// The only search of the file (an error when there are several).
    case only
    /// The named searches, in the order given.
    case named([String])
    /// Every search, in creation order.
    case all
}

extension QueryDatabase {
    /// `PRAGMA application_id` of a layernas database ('LNAS').
    static let layerNASApplicationID: Int32 = 0x4C4E_4153

    /// Every search in the file, in creation order.
    /// - Throws: `QueryError.notLayerNASDatabase` for a file layernas did not create.
    public func searches() throws(QueryError) -> [SearchSummary] {
        let path = self.path
        return try read { db in
            guard let connection = db.sqliteConnection else { throw QueryError.database(path: path, message: "connection closed") }
            let identity = try PreparedStatement.compile("PRAGMA application_id", connection: connection)
            let applicationID = try identity.step() ? identity.int64(at: 0) : 0
            let hasSearches = try PreparedStatement.compile(
                "SELECT count(*) FROM sqlite_master WHERE type = 'table' AND name IN ('searches', 'layers', 'candidates', 'memberships')",
                connection: connection)
            let tables = try hasSearches.step() ? hasSearches.int64(at: 0) : 0
            guard applicationID == Int64(Self.layerNASApplicationID), tables == 4 else {
                throw QueryError.notLayerNASDatabase(path: path)
            }
            var layerNames: [Int64: [String]] = [:]
            let layers = try PreparedStatement.compile("SELECT search_id, name FROM layers ORDER BY search_id, layer", connection: connection)
            while try layers.step() {
                layerNames[layers.int64(at: 0), default: []].append(layers.text(at: 1) ?? "")
            }
            let statement = try PreparedStatement.compile(
                "SELECT id, name, strategy, family, target_metric, target_min, target_max FROM searches ORDER BY id",
                connection: connection)
            var result: [SearchSummary] = []
            while try statement.step() {
                let id = statement.int64(at: 0)
                let name = statement.text(at: 1) ?? ""
                guard let family = statement.text(at: 3).flatMap(SpaceFamily.init(rawValue:)),
                      let metric = statement.text(at: 4).flatMap(CostMetric.init(rawValue:)) else {
                    throw QueryError.database(path: path, message: "search '\(name)' has a family or target metric this layernas does not know")
                }
                result.append(SearchSummary(
                    id: id, name: name, strategy: statement.text(at: 2) ?? "", family: family, targetMetric: metric,
                    targetMin: statement.double(at: 5) ?? 0, targetMax: statement.double(at: 6) ?? 0,
                    layerNames: layerNames[id] ?? []))
            }
            return result
        }
    }

    /// The searches `selection` names.
    /// - Throws: `QueryError.badRequest` naming the unknown search, or asking for `--name` or
    ///   `--all` when the file holds several.
    public func searches(_ selection: SearchSelection) throws(QueryError) -> [SearchSummary] {
        let available = try searches()
        let names = available.map(\.name).joined(separator: ", ")
        switch selection {
        case .all:
            guard !available.isEmpty else { throw QueryError.badRequest("\(path): holds no search yet") }
            return available
        case .only:
            guard let first = available.first else { throw QueryError.badRequest("\(path): holds no search yet") }
            guard available.count == 1 else {
                throw QueryError.badRequest("\(path): holds several searches (\(names)); choose with --name NAME or --all")
            }
            return [first]
        case .named(let wanted):
            var chosen: [SearchSummary] = []
            for name in wanted where !chosen.contains(where: { $0.name == name }) {
                guard let found = available.first(where: { $0.name == name }) else {
                    throw QueryError.badRequest("\(path): no search named '\(name)' (searches: \(names.isEmpty ? "none" : names))")
                }
                chosen.append(found)
            }
            return chosen
        }
    }
}
