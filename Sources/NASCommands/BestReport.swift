import Foundation
import NASSpace
import NASStore

/// The answer of a search, for `best` and the end of `search`.
struct BestReport: CommandReport {
    var search: String
    var arch: String
    var score: Double
    var costs: [String: Double]
    var options: [String: String]
    var candidateID: Int64
    /// The latest finished `retrain` of this candidate, when `best` reports it.
    var retraining: RetrainingSummary?
    private var layerNames: [String]

    enum CodingKeys: String, CodingKey {
        case search, arch, score, costs, options
        case candidateID = "candidate_id"
        case retraining
    }

    init(candidate: CandidateRecord, space: SearchSpace, search: String) {
        self.search = search
        arch = candidate.arch
        score = candidate.score ?? .nan
        var costs: [String: Double] = [:]
        if let value = candidate.customCost { costs["cost"] = value }
        if let value = candidate.madds { costs["madds"] = Double(value) }
        if let value = candidate.params { costs["params"] = Double(value) }
        self.costs = costs
        layerNames = space.layers.map(\.name)
        options = Dictionary(uniqueKeysWithValues: zip(layerNames, candidate.optionLabels).map { ($0, $1) })
        candidateID = candidate.id
    }

    var text: String {
        var lines = ["best: \(arch)  score \(String(format: "%.4f", score))  "
            + costs.sorted { $0.key < $1.key }.map { "\($0.key) \(CostFormat.string($0.value))" }.joined(separator: "  ")]
        for layer in layerNames { lines.append("  \(layer): \(options[layer] ?? "?")") }
        if let retraining { lines.append("  retrained: " + retraining.text) }
        return lines.joined(separator: "\n") + "\n"
    }
}
