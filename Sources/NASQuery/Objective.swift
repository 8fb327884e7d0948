import Foundation
import NASSpace

/// One objective of a Pareto front: a candidate column and whether higher or lower is better.
///
/// Written `name:max` or `name:min` (`score:max,madds:min`); a name alone takes its natural
/// direction (score is maximized, costs minimized).
package struct Objective: Sendable, Hashable, CustomStringConvertible {
    /// What an objective can measure.
    package enum Metric: String, Sendable, CaseIterable {
        /// The evaluator's score (accuracy).
        case score
        /// The search's target metric (column `cost`); for `custom` spaces the option-cost sum.
        case cost
        /// Multiply-accumulates of one forward pass (`mlp`, `cnn`).
        case madds
        /// Trainable parameters (`mlp`, `cnn`).
        case params

        /// The `candidates` column holding the value for `search`: the target metric's value is
        /// read from `cost`, which the index `candidates_by_cost` covers.
        func column(for search: SearchSummary) -> String {
            switch self {
            case .score: return "score"
            case .cost: return "cost"
            case .madds, .params: return costMetric(of: search) == search.targetMetric ? "cost" : rawValue
            }
        }

        /// The metric as a cost metric of the spec, when it is one (`cost` is the target's).
        func costMetric(of search: SearchSummary) -> CostMetric? {
            switch self {
            case .score: return nil
            case .cost: return search.targetMetric
            case .madds: return .madds
            case .params: return .params
            }
        }
    }

    /// Whether the metric should be minimized or maximized.
    package enum Direction: String, Sendable, CaseIterable {
        case min
        case max
    }

    /// Metric the objective ranks by.
    package var metric: Metric
    /// Whether lower or higher values are better.
    package var direction: Direction

    /// Creates an objective on a metric in a direction.
    package init(_ metric: Metric, _ direction: Direction) {
        self.metric = metric
        self.direction = direction
    }

    /// The objective as written on the command line, `metric:direction`.
    package var description: String { "\(metric.rawValue):\(direction.rawValue)" }

    /// Parses `score:max,madds:min[,...]`.
    /// - Throws: `QueryError.badRequest` naming the bad item; fewer than two objectives or a
    ///   repeated metric are refused.
    package static func parseList(_ text: String) throws(QueryError) -> [Objective] {
        var objectives: [Objective] = []
        let metrics = Metric.allCases.map(\.rawValue).joined(separator: ", ")
        for item in text.split(separator: ",", omittingEmptySubsequences: false) {
            let parts = item.trimmingCharacters(in: .whitespaces).split(separator: ":", omittingEmptySubsequences: false)
            guard (1...2).contains(parts.count), let metric = Metric(rawValue: parts[0].lowercased()) else {
                throw QueryError.badRequest("--objectives: unknown objective '\(item)' (metrics: \(metrics); directions: min, max)")
            }
            let direction: Direction
            if parts.count == 2 {
                guard let given = Direction(rawValue: parts[1].lowercased()) else {
                    throw QueryError.badRequest("--objectives: '\(item)': direction must be min or max, got '\(parts[1])'")
                }
                direction = given
            } else {
                direction = metric == .score ? .max : .min
            }
            guard !objectives.contains(where: { $0.metric == metric }) else {
                throw QueryError.badRequest("--objectives: '\(metric.rawValue)' is given twice")
            }
            objectives.append(Objective(metric, direction))
        }
        guard objectives.count >= 2 else {
            throw QueryError.badRequest("--objectives: a front needs at least two objectives, got '\(text)'")
        }
        return objectives
    }

    /// score:max and the target metric:min, the front LayerNAS aims at.
    /// - Throws: `QueryError.badRequest` when the searches have different target metrics.
    package static func defaults(for searches: [SearchSummary]) throws(QueryError) -> [Objective] {
        let metrics = Set(searches.map(\.targetMetric))
        guard metrics.count <= 1 else {
            let list = searches.map { "\($0.name): \($0.targetMetric)" }.joined(separator: ", ")
            throw QueryError.badRequest("the searches have different target metrics (\(list)); give --objectives")
        }
        let target: Metric
        switch searches.first?.targetMetric ?? .cost {
        case .cost: target = .cost
        case .madds: target = .madds
        case .params: target = .params
        }
        return [Objective(.score, .max), Objective(target, .min)]
    }

    /// Refuses an objective the search's family does not compute.
    func check(against search: SearchSummary) throws(QueryError) {
        guard let costMetric = metric.costMetric(of: search) else { return }
        guard search.family.metrics.contains(costMetric) || costMetric == search.targetMetric else {
            let known = (["score", "cost"] + search.family.metrics.filter { $0 != .cost }.map(\.rawValue)).joined(separator: ", ")
            throw QueryError.badRequest("--objectives: search '\(search.name)' (\(search.family.rawValue) space) has no \(metric.rawValue) (objectives: \(known))")
        }
    }

    /// `value` turned into a quantity to minimize.
    func minimized(_ value: Double) -> Double { direction == .min ? value : -value }
}
