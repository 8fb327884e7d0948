/// A validated layerwise search space: the layers and their options, the model family, the cost
/// target and the proxy-training recipe.
///
/// Build one with `SpecLoader` (from a YAML or JSON file); every value is already checked, so the
/// methods here only trap on programmer errors (an architecture from another space).
package struct SearchSpace: Sendable, Hashable, Codable {
    /// Name of the search space.
    package var name: String
    /// Model family the space builds.
    package var family: SpaceFamily
    /// Input shape (`mlp`, `cnn`); `nil` for `custom`.
    package var input: ImageShape?
    /// Number of classes (`mlp`, `cnn`); `nil` for `custom`.
    package var classes: Int?
    /// How features reach the classifier: `mlp` flattens; a `cnn` chooses (global average pooling
    /// unless its spec says `head: flatten`); `nil` for `custom`.
    package var head: ModelHead?
    /// The fixed stem and head conv around the searched blocks (`mobilenet`); `nil` for the
    /// other families.
    package var frame: MobileNetFrame?
    /// Searchable layers, in model order.
    package var layers: [SearchLayer]
    /// Cost window candidates should fall in.
    package var target: CostTarget
    /// How candidates are trained when evaluated.
    package var training: TrainingRecipe
    /// The evaluator a new search of this space uses when the command line names none, in the
    /// syntax of `--evaluator` (`trainer`, `synthetic[:SEED]`, `table:PATH`, `command:CMD`);
    /// `nil`: the family's default.
    package var evaluator: String?

    /// Creates a search space.
    package init(
        name: String,
        family: SpaceFamily,
        input: ImageShape?,
        classes: Int?,
        head: ModelHead? = nil,
        frame: MobileNetFrame? = nil,
        layers: [SearchLayer],
        target: CostTarget,
        training: TrainingRecipe,
        evaluator: String? = nil
    ) {
        self.name = name
        self.family = family
        self.input = input
        self.classes = classes
        self.head = head ?? Self.defaultHead(for: family)
        self.frame = family == .mobilenet ? frame ?? .standard : frame
        self.layers = layers
        self.target = target
        self.training = training
        self.evaluator = evaluator
    }

    /// The head a family has when the spec names none.
    package static func defaultHead(for family: SpaceFamily) -> ModelHead? {
        switch family {
        case .custom: return nil
        case .mlp: return .flatten
        case .cnn, .mobilenet: return .globalAveragePool
        }
    }

    /// Reads a stored space. Spaces stored before `head` and `evaluator` existed have neither in
    /// their JSON: they get their family's default head, which is what they were built with, and
    /// no evaluator. Only `mobilenet` spaces store a `frame`.
    package init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        let family = try container.decode(SpaceFamily.self, forKey: .family)
        self.init(
            name: try container.decode(String.self, forKey: .name),
            family: family,
            input: try container.decodeIfPresent(ImageShape.self, forKey: .input),
            classes: try container.decodeIfPresent(Int.self, forKey: .classes),
            head: try container.decodeIfPresent(ModelHead.self, forKey: .head),
            frame: try container.decodeIfPresent(MobileNetFrame.self, forKey: .frame),
            layers: try container.decode([SearchLayer].self, forKey: .layers),
            target: try container.decode(CostTarget.self, forKey: .target),
            training: try container.decode(TrainingRecipe.self, forKey: .training),
            evaluator: try container.decodeIfPresent(String.self, forKey: .evaluator)
        )
    }

    /// Number of architectures, ∏|S_i| (saturates at `Int.max`).
    package var architectureCount: Int {
        layers.reduce(1) { count, layer in
            let (product, overflow) = count.multipliedReportingOverflow(by: layer.options.count)
            return overflow ? Int.max : product
        }
    }

    /// The architecture with every layer at its default (most expensive) option.
    package var defaultArchitecture: Architecture {
        Architecture(layers.map(\.defaultIndex))
    }

    /// The network an architecture stands for; `nil` for `custom` spaces.
    package func modelShape(for architecture: Architecture) -> ModelShape? {
        checkMembership(architecture)
        guard let input, let classes, let head else { return nil }
        var modelLayers = zip(layers, architecture.optionIndices).flatMap { layer, index in
            layer.options[index].modelLayers
        }
        if let frame {
            modelLayers.insert(frame.stem, at: 0)
            if let headConv = frame.headConv { modelLayers.append(headConv) }
        }
        return ModelShape(input: input, classes: classes, layers: modelLayers, head: head)
    }

    /// The chosen option of every layer.
    package func options(of architecture: Architecture) -> [LayerOption] {
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
