/// A validated layerwise search space: the layers and their options, the model family, the cost
/// target and the proxy-training recipe.
///
/// Build one with `SpecLoader` (from a YAML or JSON file); every value is already checked, so the
/// methods here only trap on programmer errors (an architecture from another space).
public struct SearchSpace: Sendable, Hashable, Codable {
    public var name: String
    public var family: SpaceFamily
    /// Input shape (`mlp`, `cnn`); `nil` for `custom`.
    public var input: ImageShape?
    /// Number of classes (`mlp`, `cnn`); `nil` for `custom`.
    public var classes: Int?
    public var layers: [SearchLayer]
    public var target: CostTarget
    public var training: TrainingRecipe

    public init(
        name: String,
        family: SpaceFamily,
        input: ImageShape?,
        classes: Int?,
        layers: [SearchLayer],
        target: CostTarget,
        training: TrainingRecipe
    ) {
        self.name = name
        self.family = family
        self.input = input
        self.classes = classes
        self.layers = layers
        self.target = target
        self.training = training
    }

    /// Number of architectures, ∏|S_i| (saturates at `Int.max`).
    public var architectureCount: Int {
        layers.reduce(1) { count, layer in
            let (product, overflow) = count.multipliedReportingOverflow(by: layer.options.count)
            return overflow ? Int.max : product
        }
    }

    /// The architecture with every layer at its default (most expensive) option.
    public var defaultArchitecture: Architecture {
        Architecture(layers.map(\.defaultIndex))
    }

    /// The network an architecture stands for; `nil` for `custom` spaces.
    public func modelShape(for architecture: Architecture) -> ModelShape? {
        checkMembership(architecture)
        guard let input, let classes else { return nil }
        let head: ModelHead = family == .cnn ? .globalAveragePool : .flatten
        let modelLayers = zip(layers, architecture.optionIndices).compactMap { layer, index in
            layer.options[index].modelLayer
        }
        return ModelShape(input: input, classes: classes, layers: modelLayers, head: head)
    }

    /// The chosen option of every layer.
    public func options(of architecture: Architecture) -> [LayerOption] {
        checkMembership(architecture)
        return zip(layers, architecture.optionIndices).map { layer, index in layer.options[index] }
    }

    func checkMembership(_ architecture: Architecture) {
        precondition(architecture.optionIndices.count == layers.count, "architecture from another space")
        for (layer, index) in zip(layers, architecture.optionIndices) {
            precondition(layer.options.indices.contains(index), "architecture from another space")
        }
    }
}
