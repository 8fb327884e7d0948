import Foundation
import NASQuery

/// The dashboard's plots: the same SVG renderers and reports as `layernas history`, `pareto` and
/// `curves` (docs/ARCHITECTURE.md#plots), for one search, several searches overlaid (also across
/// databases) or one candidate.
enum DashboardPlots {
    /// A search as the compare page names it: database position and search id.
    struct SearchKey: Hashable, Sendable {
        var database: Int
        var searchID: Int64

        /// `"0:3"` → database 0, search 3.
        init?(_ text: String) {
            let parts = text.split(separator: ":")
            guard parts.count == 2, let database = Int(parts[0]), let searchID = Int64(parts[1]) else { return nil }
            self.database = database
            self.searchID = searchID
        }

        init(database: Int, searchID: Int64) {
            self.database = database
            self.searchID = searchID
        }

        var text: String { "\(database):\(searchID)" }
    }

    /// The summaries of `keys`, grouped by database in the order given; nil when one is unknown.
    static func selections(_ keys: [SearchKey], in catalog: DashboardCatalog) throws -> [(QueryDatabase, [SearchSummary])]? {
        var groups: [(QueryDatabase, [SearchSummary])] = []
        var positions: [Int: Int] = [:]
        for key in keys {
            guard let database = catalog.database(key.database),
                  let summary = try database.searches().first(where: { $0.id == key.searchID }) else { return nil }
            if let position = positions[key.database] {
                if !groups[position].1.contains(summary) { groups[position].1.append(summary) }
            } else {
                positions[key.database] = groups.count
                groups.append((database, [summary]))
            }
        }
        return groups
    }

    /// The history of the searches overlaid; nil when one is unknown.
    static func historyReport(_ keys: [SearchKey], in catalog: DashboardCatalog) throws -> HistoryReport? {
        guard let groups = try selections(keys, in: catalog), !groups.isEmpty else { return nil }
        var merged: HistoryReport?
        for (database, summaries) in groups {
            let report = try database.historyReport(selection: .named(summaries.map(\.name)))
            if merged == nil { merged = report } else { merged?.searches += report.searches }
        }
        return merged
    }

    /// The fronts of the searches overlaid, on `objectives` (as `pareto --objectives` reads
    /// them), by default those of all the searches together (score and the shared target
    /// metric); nil when a search is unknown.
    static func paretoReport(_ keys: [SearchKey], objectives text: String? = nil, in catalog: DashboardCatalog) throws -> ParetoReport? {
        guard let groups = try selections(keys, in: catalog), !groups.isEmpty else { return nil }
        let objectives = if let text, !text.isEmpty { try Objective.parseList(text) } else { try Objective.defaults(for: groups.flatMap(\.1)) }
        var merged: ParetoReport?
        for (database, summaries) in groups {
            let report = try database.paretoReport(
                selection: .named(summaries.map(\.name)), objectives: objectives, source: .evaluated, keepValues: true)
            if merged == nil { merged = report } else { merged?.searches += report.searches }
        }
        return merged
    }

    static func historySVG(_ keys: [SearchKey], in catalog: DashboardCatalog) throws -> String? {
        try historyReport(keys, in: catalog).map(HistoryPlot.svg)
    }

    static func paretoSVG(_ keys: [SearchKey], objectives: String? = nil, in catalog: DashboardCatalog) throws -> String? {
        guard let report = try paretoReport(keys, objectives: objectives, in: catalog) else { return nil }
        return try ParetoPlot.svg(report)
    }

    /// The learning curve of one candidate; nil when it has no stored epochs.
    static func curvesSVG(_ database: QueryDatabase, candidateID: Int64) -> String? {
        guard let report = try? database.curvesReport(candidateIDs: [candidateID]) else { return nil }
        return CurvesPlot.svg(report)
    }

    /// An SVG document as an element inside HTML: without its XML declaration.
    static func inline(_ svg: String) -> String {
        guard svg.hasPrefix("<?xml"), let end = svg.range(of: "?>") else { return svg }
        return String(svg[end.upperBound...])
    }
}
