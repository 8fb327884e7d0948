import NASSpace

/// What `space show` prints, as text or JSON.
struct SpaceReport: CommandReport {
    struct Option: Encodable {
        var label: String
        var fields: String
        var `default`: Bool
        /// Range of target costs over the architectures that use this option.
        var costMin: Double
        var costMax: Double
    }

    struct Layer: Encodable {
        var name: String
        var options: [Option]
    }

    struct Census: Encodable {
        var count: Int
        var exact: Bool
    }

    var name: String
    var family: String
    /// `flatten` or `global_average_pool`; `nil` for `custom`.
    var head: String?
    /// The fixed stem and head conv of a `mobilenet` space.
    var frame: MobileNetFrame?
    /// The spec's `evaluator:`, if it names one.
    var evaluator: String?
    var layers: [Layer]
    var architectures: Int
    var target: CostTarget
    /// Range of the target cost over every architecture.
    var costMin, costMax: Double
    var defaultArchitecture: String
    var defaultCosts: [String: Double]
    var inWindow: Census

    init(space: SearchSpace) {
        name = space.name
        family = space.family.rawValue
        head = space.head?.rawValue
        frame = space.frame
        evaluator = space.evaluator
        let everyOption = space.layers.map { Array($0.options.indices) }
        layers = space.layers.enumerated().map { layerIndex, layer in
            Layer(name: layer.name, options: layer.options.enumerated().map { optionIndex, option in
                var allowed = everyOption
                allowed[layerIndex] = [optionIndex]
                let range = space.costRange(of: space.target.metric, allowed: allowed)
                return Option(
                    label: option.label, fields: option.fieldsDescription,
                    default: optionIndex == layer.defaultIndex,
                    costMin: range.lowerBound, costMax: range.upperBound
                )
            })
        }
        architectures = space.architectureCount
        target = space.target
        let reachable = space.reachableRange
        costMin = reachable.lowerBound
        costMax = reachable.upperBound
        defaultArchitecture = space.key(of: space.defaultArchitecture)
        defaultCosts = Dictionary(uniqueKeysWithValues: space.costs(of: space.defaultArchitecture).byMetric.map {
            ($0.metric.rawValue, $0.value)
        })
        let census = space.windowCensus()
        inWindow = Census(count: census.count, exact: census.isExact)
    }

    var text: String {
        let metric = target.metric
        // Only cnn spaces choose a head (an mlp is always flattened, a custom space has none), so
        // only theirs is worth a word; JSON has `head` for every family that has one.
        let headText: String = family == SpaceFamily.cnn.rawValue
            ? head.map { ", " + $0.replacingOccurrences(of: "_", with: " ") + " head" } ?? "" : ""
        var lines = [
            "space: \(name) (\(family)\(headText)), \(layers.count) layers, \(architectures) architectures",
            "\(metric) range: \(CostFormat.string(costMin)) .. \(CostFormat.string(costMax))",
            "target: \(metric) in [\(CostFormat.string(target.min)), \(CostFormat.string(target.max))]: "
                + "\(inWindow.exact ? "" : "about ")\(inWindow.count) architectures inside"
                + (inWindow.exact ? "" : " (estimated by sampling)"),
            "default architecture: \(defaultArchitecture) ("
                + defaultCosts.sorted { $0.key < $1.key }.map { "\($0.key) \(CostFormat.string($0.value))" }.joined(separator: ", ")
                + ")",
        ]
        if let frame { lines.insert("fixed layers: \(frame.description), global average pooling, linear head", at: 1) }
        if let evaluator { lines.append("evaluator: \(evaluator) (from the spec; --evaluator overrides it)") }
        for (index, layer) in layers.enumerated() {
            lines.append("")
            lines.append("layer \(index + 1): \(layer.name) (\(layer.options.count) options)")
            let width = layer.options.map(\.label.count).max() ?? 0
            for option in layer.options {
                let label = option.label.padding(toLength: width, withPad: " ", startingAt: 0)
                let mark = option.default ? "  [default]" : ""
                lines.append("  \(label)  \(option.fields)  \(metric) \(CostFormat.string(option.costMin))..\(CostFormat.string(option.costMax))\(mark)")
            }
        }
        return lines.joined(separator: "\n") + "\n"
    }
}
