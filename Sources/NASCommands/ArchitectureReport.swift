import NASSpace

/// What `space cost` prints for one architecture.
struct ArchitectureReport: CommandReport {
    var arch: String
    var options: [String: String]
    var costs: [String: Double]
    var inWindow: Bool
    /// The network's counted pieces in order (mlp, cnn, mobilenet; empty for custom): a layer,
    /// a block's expand, depthwise and project steps, the classifier.
    var pieces: [CostPiece]

    enum CodingKeys: String, CodingKey {
        case arch, options, costs
        case inWindow = "in_window"
        case pieces
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
        pieces = space.modelShape(for: architecture)?.costPieces ?? []
    }

    var text: String {
        var lines = ["arch: \(arch)"]
        for layer in layerOrder { lines.append("  \(layer): \(options[layer] ?? "?")") }
        for (metric, value) in costs.sorted(by: { $0.key < $1.key }) {
            lines.append("\(metric): \(CostFormat.string(value))")
        }
        lines.append("inside target (\(targetMetric)): \(inWindow ? "yes" : "no")")
        if !pieces.isEmpty {
            let names = pieces.map { piece in (piece.layer.map { "layer \($0): " } ?? "") + piece.name }
            let nameWidth = names.map(\.count).max() ?? 0
            let outputWidth = pieces.map(\.output.count).max() ?? 0
            lines.append("pieces (output, madds, params):")
            for (piece, name) in zip(pieces, names) {
                lines.append("  " + name.padding(toLength: nameWidth, withPad: " ", startingAt: 0)
                    + "  " + piece.output.padding(toLength: outputWidth, withPad: " ", startingAt: 0)
                    + "  " + String(repeating: " ", count: max(0, 10 - "\(piece.madds)".count)) + "\(piece.madds)"
                    + "  " + String(repeating: " ", count: max(0, 8 - "\(piece.params)".count)) + "\(piece.params)")
            }
        }
        return lines.joined(separator: "\n") + "\n"
    }
}
