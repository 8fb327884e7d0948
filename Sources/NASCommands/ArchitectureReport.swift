import NASSpace

/// What `space cost` prints for one architecture.
struct ArchitectureReport: CommandReport {
    var arch: String
    var options: [String: String]
    var costs: [String: Double]
    var inWindow: Bool

    enum CodingKeys: String, CodingKey {
        case arch, options, costs
        case inWindow = "in_window"
    }

    private var layerOrder: [String]
    private var targetMetric: String

    init(space: SearchSpace, architecture: Architecture) {
        arch = space.key(of: architecture)
        let chosen = space.options(of: architecture)
        layerOrder = space.layers.map(\.name)
        options = Dictionary(uniqueKeysWithValues: zip(space.layers, chosen).map { ($0.name, $1.label) })
        costs = Dictionary(uniqueKeysWithValues: space.costs(of: architecture).byMetric.map { ($0.metric.rawValue, $0.value) })
        inWindow = space.target.contains(space.targetCost(of: architecture))
        targetMetric = space.target.metric.rawValue
    }

    var text: String {
        var lines = ["arch: \(arch)"]
        for layer in layerOrder { lines.append("  \(layer): \(options[layer] ?? "?")") }
        for (metric, value) in costs.sorted(by: { $0.key < $1.key }) {
            lines.append("\(metric): \(CostFormat.string(value))")
        }
        lines.append("inside target (\(targetMetric)): \(inWindow ? "yes" : "no")")
        return lines.joined(separator: "\n") + "\n"
    }
}
