import Foundation
import NASSpace

extension ParetoReport {
    /// The front members as rows: `search`, `candidate_id`, `seq`, `arch`, `score`,
    /// `target_metric`, `cost`, the cost metrics of the searches' families (`custom_cost`;
    /// `madds`, `params`), `in_window`, `layer`, and `option_1` ... `option_L`. Searches in the
    /// order given, each front best first.
    package var rows: RowArray {
        let summaries = searches.map(\.search)
        let families = Set(summaries.map(\.family))
        let hasCustom = families.contains(.custom)
        let hasNetwork = families.contains(where: \.buildsNetwork)
        let layers = summaries.map(\.layerNames.count).max() ?? 0
        var columns = ["search", "candidate_id", "seq", "arch", "score", "target_metric", "cost"]
        if hasCustom { columns.append("custom_cost") }
        if hasNetwork { columns += ["madds", "params"] }
        columns += ["in_window", "layer"] + (0..<layers).map { "option_\($0 + 1)" }
        var rows: [[QueryValue]] = []
        for front in searches {
            for point in front.front {
                var row: [QueryValue] = [
                    .text(point.search), .integer(point.candidateID), .integer(point.seq), .text(point.arch),
                    .real(point.score), .text(front.search.targetMetric.rawValue), .real(point.cost),
                ]
                if hasCustom { row.append(point.customCost.map(QueryValue.real) ?? .null) }
                if hasNetwork {
                    row.append(point.madds.map(QueryValue.integer) ?? .null)
                    row.append(point.params.map(QueryValue.integer) ?? .null)
                }
                row.append(.integer(point.inWindow ? 1 : 0))
                row.append(point.layer.map(QueryValue.integer) ?? .null)
                for layer in 0..<layers {
                    row.append(layer < point.options.count ? .text(point.options[layer]) : .null)
                }
                rows.append(row)
            }
        }
        return RowArray(columns: columns, rows: rows)
    }

    /// The report as pretty JSON: objectives, source, and per search its target window, counts
    /// and front (each point with key, options, costs, score, lineage).
    package func json() throws -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        encoder.keyEncodingStrategy = .convertToSnakeCase
        encoder.nonConformingFloatEncodingStrategy = .convertToString(positiveInfinity: "inf", negativeInfinity: "-inf", nan: "nan")
        let data = try encoder.encode(JSONReport(self))
        return String(decoding: data, as: UTF8.self) + "\n"
    }
}

/// The JSON shape of a `ParetoReport`.
private struct JSONReport: Encodable {

    struct Point: Encodable {
        var search: String
        var candidateID: Int64
        var seq: Int64
        var arch: String
        var options: [String: String]
        var optionLabels: [String]
        var score, cost: Double
        var costs: [String: Double]
        var inWindow: Bool
        var layer: Int64?
    }

    struct Search: Encodable {
        var search: String
        var strategy: String
        var family: String
        var target: CostTarget
        /// Candidates the front was taken from, and those left out for a missing value.
        var considered, excluded: Int
        var front: [Point]
    }

    var database: String
    var objectives: [String]
    var source: String
    var searches: [Search]

    init(_ report: ParetoReport) {
        database = report.database
        objectives = report.objectives.map(\.description)
        source = report.source.rawValue
        searches = report.searches.map { front in
            let summary = front.search
            return Search(
                search: summary.name, strategy: summary.strategy.rawValue, family: summary.family.rawValue,
                target: CostTarget(metric: summary.targetMetric, min: summary.targetMin, max: summary.targetMax),
                considered: front.considered, excluded: front.excluded,
                front: front.front.map { point in
                    var options: [String: String] = [:]
                    for (index, label) in point.options.enumerated() {
                        let name = index < summary.layerNames.count ? summary.layerNames[index] : "layer\(index + 1)"
                        options[name] = label
                    }
                    var costs: [String: Double] = [:]
                    if let custom = point.customCost { costs["cost"] = custom }
                    if let madds = point.madds { costs["madds"] = Double(madds) }
                    if let params = point.params { costs["params"] = Double(params) }
                    return Point(search: point.search, candidateID: point.candidateID, seq: point.seq, arch: point.arch,
                                 options: options, optionLabels: point.options, score: point.score, cost: point.cost,
                                 costs: costs, inWindow: point.inWindow, layer: point.layer)
                })
        }
    }
}
