/// One choice a search layer offers.
public struct LayerOption: Sendable, Hashable, Codable {
    /// Short name, unique within its layer, `[A-Za-z0-9_.]+`; architecture keys are made of these.
    public var label: String
    public var kind: Kind

    public init(label: String, kind: Kind) {
        self.label = label
        self.kind = kind
    }

    /// What the option sets, by family.
    public enum Kind: Sendable, Hashable, Codable {
        /// `custom`: a user-given cost.
        case custom(cost: Double)
        /// `mlp`: a hidden dense layer of `units`; 0 removes the layer.
        case dense(units: Int)
        /// `cnn`: a conv layer; 0 channels removes the layer.
        case conv(channels: Int, kernel: Int, stride: Int)
    }

    /// The real layer this option adds to the network, or `nil` when it adds none (a skip, or a
    /// `custom` option).
    public var modelLayer: ModelLayer? {
        switch kind {
        case .custom: return nil
        case .dense(let units): return units == 0 ? nil : .dense(units: units)
        case .conv(let channels, let kernel, let stride):
            return channels == 0 ? nil : .conv(channels: channels, kernel: kernel, stride: stride)
        }
    }

    /// The label an option gets when the spec does not name it: `256` for 256 units,
    /// `c16k3s2` for 16 channels, kernel 3, stride 2, `skip` for a removed layer.
    public static func derivedLabel(for kind: Kind) -> String? {
        switch kind {
        case .custom: return nil
        case .dense(let units): return units == 0 ? "skip" : "\(units)"
        case .conv(let channels, let kernel, let stride):
            return channels == 0 ? "skip" : "c\(channels)k\(kernel)s\(stride)"
        }
    }

    /// A readable description of the fields, e.g. `units=256`.
    public var fieldsDescription: String {
        switch kind {
        case .custom(let cost): return "cost=\(CostFormat.string(cost))"
        case .dense(let units): return "units=\(units)"
        case .conv(let channels, let kernel, let stride):
            return "channels=\(channels) kernel=\(kernel) stride=\(stride)"
        }
    }
}
