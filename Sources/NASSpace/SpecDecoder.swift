/// Turns a parsed spec document into a validated `SearchSpace`, field by field.
enum SpecDecoder {
    static let labelCharacters = Set("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789_.")

    // Limits keep every cost far inside Int and every network buildable.
    static let maximumLayers = 256
    static let maximumOptions = 1024
    static let maximumUnits = 1_000_000
    static let maximumChannels = 65_536
    static let maximumKernel = 31
    static let maximumPool = 4
    static let maximumExpansion = 16
    static let maximumSide = 4096
    static let maximumClasses = 100_000
    static let maximumCustomCost = 1e15

    static func space(from document: SpecValue) throws(SpecProblem) -> SearchSpace {
        let root = try SpecObject(document, path: "")
        try root.checkFields(allowed: ["name", "description", "family", "input", "classes", "head", "stem", "head_channels", "layers", "target", "training", "evaluator"])
        let name = try root.string("name")
        try checkName(name, path: "name")
        _ = try root.optionalString("description")
        let family = try root.choice("family", of: SpaceFamily.self)

        var input: ImageShape?
        var classes: Int?
        if family == .custom {
            for field in ["input", "classes"] where root.has(field) {
                throw SpecProblem(path: field, message: "only mlp, cnn and mobilenet spaces have this field")
            }
        } else {
            input = try inputShape(root, family: family)
            classes = try root.int("classes", in: 2...maximumClasses)
        }
        var head = SearchSpace.defaultHead(for: family)
        if root.has("head") {
            guard family == .cnn else {
                throw SpecProblem(path: "head", message: "only cnn spaces choose their head (an mlp always flattens, a mobilenet always pools)")
            }
            head = try root.choice("head", of: ModelHead.self)
        }
        var frame: MobileNetFrame?
        if family == .mobilenet {
            frame = try self.frame(root)
        } else {
            for field in ["stem", "head_channels"] where root.has(field) {
                throw SpecProblem(path: field, message: "only mobilenet spaces have this field")
            }
        }

        let layerValues = try root.list("layers")
        guard !layerValues.isEmpty else { throw SpecProblem(path: "layers", message: "must list at least one layer") }
        guard layerValues.count <= maximumLayers else {
            throw SpecProblem(path: "layers", message: "at most \(maximumLayers) layers, got \(layerValues.count)")
        }
        var layers: [SearchLayer] = []
        for (index, value) in layerValues.enumerated() {
            let layer = try self.layer(value, index: index, family: family)
            if layers.contains(where: { $0.name == layer.name }) {
                throw SpecProblem(path: "layers[\(index)].name", message: "duplicate layer name '\(layer.name)'")
            }
            layers.append(layer)
        }

        let training = try TrainingSpec.recipe(root.value("training"))
        // The target is read after the layers because an omitted bound means "whole range".
        var space = SearchSpace(
            name: name, family: family, input: input, classes: classes, head: head, frame: frame, layers: layers,
            target: CostTarget(metric: family.metrics[0], min: 0, max: 0), training: training
        )
        space.target = try target(root, space: space)
        space.evaluator = try evaluator(root, family: family)
        for (index, defaultIndex) in SearchSpace.defaultIndices(for: space).enumerated() {
            space.layers[index].defaultIndex = defaultIndex
        }
        try checkReachable(space)
        return space
    }

    private static func inputShape(_ root: SpecObject, family: SpaceFamily) throws(SpecProblem) -> ImageShape {
        let items = try root.list("input")
        let imageOnly = family == .cnn || family == .mobilenet
        let expected = imageOnly ? "[height, width, channels]" : "[height, width, channels] or [features]"
        let counts = imageOnly ? [3] : [1, 2, 3]
        guard counts.contains(items.count) else {
            throw SpecProblem(path: "input", message: "must be \(expected), got a list of \(items.count)")
        }
        var sides: [Int] = []
        for (index, item) in items.enumerated() {
            let limit = items.count == 1 ? maximumUnits : maximumSide
            sides.append(try SpecObject.int(item, path: "input[\(index)]", in: 1...limit))
        }
        switch sides.count {
        case 1: return ImageShape(height: 1, width: 1, channels: sides[0])
        case 2: return ImageShape(height: sides[0], width: sides[1], channels: 1)
        default: return ImageShape(height: sides[0], width: sides[1], channels: sides[2])
        }
    }

    private static func layer(_ value: SpecValue, index: Int, family: SpaceFamily) throws(SpecProblem) -> SearchLayer {
        let path = "layers[\(index)]"
        let object = try SpecObject(value, path: path)
        try object.checkFields(allowed: ["name", "options"])
        let name = try object.optionalString("name") ?? "layer\(index + 1)"
        try checkName(name, path: "\(path).name")
        let optionValues = try object.list("options")
        guard !optionValues.isEmpty else {
            throw SpecProblem(path: "\(path).options", message: "must list at least one option")
        }
        guard optionValues.count <= maximumOptions else {
            throw SpecProblem(path: "\(path).options", message: "at most \(maximumOptions) options, got \(optionValues.count)")
        }
        var options: [LayerOption] = []
        for (optionIndex, optionValue) in optionValues.enumerated() {
            let optionPath = "\(path).options[\(optionIndex)]"
            let option = try self.option(optionValue, path: optionPath, family: family)
            if options.contains(where: { $0.label == option.label }) {
                throw SpecProblem(path: optionPath, message: "duplicate label '\(option.label)' in layer '\(name)'")
            }
            options.append(option)
        }
        return SearchLayer(name: name, options: options, defaultIndex: 0)
    }

    private static func option(_ value: SpecValue, path: String, family: SpaceFamily) throws(SpecProblem) -> LayerOption {
        // An mlp option may be written as its width alone: `options: [64, 128, 0]`.
        if family == .mlp, case .int = value {
            let units = try SpecObject.int(value, path: path, in: 0...maximumUnits)
            return LayerOption(label: LayerOption.derivedLabel(for: .dense(units: units)) ?? "", kind: .dense(units: units))
        }
        let object = try SpecObject(value, path: path)
        let kind: LayerOption.Kind
        switch family {
        case .custom:
            try object.checkFields(allowed: ["label", "cost"])
            kind = .custom(cost: try object.number("cost", in: 0...maximumCustomCost))
        case .mlp:
            try object.checkFields(allowed: ["label", "units"])
            kind = .dense(units: try object.int("units", in: 0...maximumUnits))
        case .cnn:
            try object.checkFields(allowed: ["label", "channels", "kernel", "stride", "pool"])
            let channels = try object.int("channels", in: 0...maximumChannels)
            let kernel = try object.optionalInt("kernel", in: 1...maximumKernel) ?? 3
            guard kernel % 2 == 1 else {
                throw SpecProblem(path: object.fieldPath("kernel"), message: "must be odd (same padding), got \(kernel)")
            }
            let stride = try object.optionalInt("stride", in: 1...Int.max) ?? 1
            guard stride == 1 || stride == 2 else {
                throw SpecProblem(path: object.fieldPath("stride"), message: "must be 1 or 2, got \(stride)")
            }
            let pool = try object.optionalInt("pool", in: 1...maximumPool) ?? 1
            kind = .conv(channels: channels, kernel: kernel, stride: stride, pool: pool)
        case .mobilenet:
            try object.checkFields(allowed: ["label", "channels", "kernel", "expansion", "stride"])
            let channels = try object.int("channels", in: 0...maximumChannels)
            let kernel = try oddKernel(object, default: 3)
            let expansion = try object.optionalInt("expansion", in: 1...maximumExpansion) ?? 1
            let stride = try strideOneOrTwo(object)
            kind = .invertedResidual(channels: channels, kernel: kernel, expansion: expansion, stride: stride)
        }
        guard let label = try object.optionalString("label") ?? LayerOption.derivedLabel(for: kind) else {
            throw SpecProblem(path: object.fieldPath("label"), message: "is required for custom options")
        }
        guard label.count <= 64, label.allSatisfy(labelCharacters.contains) else {
            throw SpecProblem(
                path: object.fieldPath("label"),
                message: "may only use letters, digits, '_' and '.' (at most 64), got '\(label.prefix(64))'"
            )
        }
        return LayerOption(label: label, kind: kind)
    }

    /// The `stem:` object and `head_channels:` of a mobilenet space; both optional
    /// (`MobileNetFrame.standard`).
    private static func frame(_ root: SpecObject) throws(SpecProblem) -> MobileNetFrame {
        var frame = MobileNetFrame.standard
        if let value = root.value("stem") {
            let stem = try SpecObject(value, path: "stem")
            try stem.checkFields(allowed: ["channels", "kernel", "stride"])
            frame.stemChannels = try stem.optionalInt("channels", in: 1...maximumChannels) ?? frame.stemChannels
            frame.stemKernel = try oddKernel(stem, default: frame.stemKernel)
            frame.stemStride = try strideOneOrTwo(stem, default: frame.stemStride)
        }
        frame.headChannels = try root.optionalInt("head_channels", in: 0...maximumChannels) ?? 0
        return frame
    }

    private static func oddKernel(_ object: SpecObject, default fallback: Int) throws(SpecProblem) -> Int {
        let kernel = try object.optionalInt("kernel", in: 1...maximumKernel) ?? fallback
        guard kernel % 2 == 1 else {
            throw SpecProblem(path: object.fieldPath("kernel"), message: "must be odd (same padding), got \(kernel)")
        }
        return kernel
    }

    private static func strideOneOrTwo(_ object: SpecObject, default fallback: Int = 1) throws(SpecProblem) -> Int {
        let stride = try object.optionalInt("stride", in: 1...Int.max) ?? fallback
        guard stride == 1 || stride == 2 else {
            throw SpecProblem(path: object.fieldPath("stride"), message: "must be 1 or 2, got \(stride)")
        }
        return stride
    }

    /// Names are stored and shown: they must be non-empty text without control characters (a NUL
    /// would cut the stored name short, a newline or escape would garble every report).
    private static func checkName(_ name: String, path: String) throws(SpecProblem) {
        guard !name.trimmingCharacters(in: .whitespaces).isEmpty else {
            throw SpecProblem(path: path, message: "must not be empty")
        }
        if let control = name.unicodeScalars.first(where: { $0.properties.generalCategory == .control }) {
            let code = String(control.value, radix: 16, uppercase: true)
            throw SpecProblem(path: path, message: "must not contain control characters, found U+\(String(repeating: "0", count: max(0, 4 - code.count)))\(code)")
        }
    }

    private static func target(_ root: SpecObject, space: SearchSpace) throws(SpecProblem) -> CostTarget {
        let object = try SpecObject(try root.required("target"), path: "target")
        try object.checkFields(allowed: ["metric", "min", "max"])
        let metric = try object.choice("metric", of: CostMetric.self)
        guard space.family.metrics.contains(metric) else {
            let allowed = space.family.metrics.map(\.rawValue).joined(separator: " or ")
            throw SpecProblem(path: "target.metric", message: "a \(space.family.rawValue) space is measured in \(allowed), got '\(metric.rawValue)'")
        }
        var probe = space
        probe.target = CostTarget(metric: metric, min: 0, max: 0)
        let reachable = probe.reachableRange
        let low = try object.optionalNumber("min", in: 0...Double(Int64.max)) ?? reachable.lowerBound
        let high = try object.optionalNumber("max", in: 0...Double(Int64.max)) ?? reachable.upperBound
        guard low <= high else {
            throw SpecProblem(path: "target", message: "min \(CostFormat.string(low)) is greater than max \(CostFormat.string(high))")
        }
        return CostTarget(metric: metric, min: low, max: high)
    }

    /// The `evaluator:` field: the `--evaluator` syntax, checked here so that a typo is a spec
    /// error; what it names (a table file, a program) is checked when a search starts.
    private static func evaluator(_ root: SpecObject, family: SpaceFamily) throws(SpecProblem) -> String? {
        guard let text = try root.optionalString("evaluator") else { return nil }
        let shown = text.count > 80 ? text.prefix(80) + "..." : Substring(text)
        guard let spec = EvaluatorSpec(parsing: text) else {
            throw SpecProblem(path: "evaluator", message: "must be \(EvaluatorSpec.forms), got '\(shown)'")
        }
        if spec == .trainer && family == .custom {
            throw SpecProblem(path: "evaluator", message: "the built-in trainer needs an mlp, cnn or mobilenet space, got 'trainer' in a custom space")
        }
        return text
    }

    /// Refuses a window that no architecture can reach, naming the reachable range.
    private static func checkReachable(_ space: SearchSpace) throws(SpecProblem) {
        let reachable = space.reachableRange
        let window = "[\(CostFormat.string(space.target.min)), \(CostFormat.string(space.target.max))]"
        let range = "[\(CostFormat.string(reachable.lowerBound)), \(CostFormat.string(reachable.upperBound))]"
        let unreachable = !space.target.overlaps(reachable)
            || (space.architectureCount <= 1_000_000 && space.windowCensus().count == 0)
        if unreachable {
            throw SpecProblem(
                path: "target",
                message: "no architecture has \(space.target.metric) inside \(window); reachable \(space.target.metric) is \(range)"
            )
        }
    }
}
