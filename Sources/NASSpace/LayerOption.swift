/// One choice a search layer offers.
package struct LayerOption: Sendable, Hashable, Codable {
    /// Short name, unique within its layer, `[A-Za-z0-9_.]+`; architecture keys are made of these.
    package var label: String
    /// What the option builds, with its parameters.
    package var kind: Kind

    /// Creates an option with a label and kind.
    package init(label: String, kind: Kind) {
        self.label = label
        self.kind = kind
    }

    /// What the option sets, by family.
    /// What the option sets, by family (stored as JSON with the space: see `Kind+Codable`).
    package enum Kind: Sendable, Hashable {
        /// `custom`: a user-given cost.
        case custom(cost: Double)
        /// `mlp`: a hidden dense layer of `units`; 0 removes the layer.
        case dense(units: Int)
        /// `cnn`: a conv layer, then max pooling over `pool × pool` windows when `pool` > 1;
        /// 0 channels removes the layer.
        case conv(channels: Int, kernel: Int, stride: Int, pool: Int)
        /// `mobilenet`: an inverted residual block (`ModelLayer.invertedResidual`); 0 channels
        /// skips the block (its input passes through unchanged).
        case invertedResidual(channels: Int, kernel: Int, expansion: Int, stride: Int)
    }

    /// The real layers this option adds to the network, in order; none for a skip or a `custom`
    /// option.
    package var modelLayers: [ModelLayer] {
        switch kind {
        case .custom: return []
        case .dense(let units): return units == 0 ? [] : [.dense(units: units)]
        case .conv(let channels, let kernel, let stride, let pool):
            guard channels > 0 else { return [] }
            let conv = ModelLayer.conv(channels: channels, kernel: kernel, stride: stride)
            return pool > 1 ? [conv, .maxPool(size: pool)] : [conv]
        case .invertedResidual(let channels, let kernel, let expansion, let stride):
            guard channels > 0 else { return [] }
            return [.invertedResidual(channels: channels, kernel: kernel, expansion: expansion, stride: stride)]
        }
    }

    /// The label an option gets when the spec does not name it: `256` for 256 units,
    /// `c16k3s2` for 16 channels, kernel 3, stride 2 (`c16k3s1p2` with 2 × 2 max pooling),
    /// `c24k5e6s2` for an inverted residual block of 24 channels, kernel 5, expansion 6, stride 2,
    /// `skip` for a removed layer.
    package static func derivedLabel(for kind: Kind) -> String? {
        switch kind {
        case .custom: return nil
        case .dense(let units): return units == 0 ? "skip" : "\(units)"
        case .conv(let channels, let kernel, let stride, let pool):
            guard channels > 0 else { return "skip" }
            return "c\(channels)k\(kernel)s\(stride)" + (pool > 1 ? "p\(pool)" : "")
        case .invertedResidual(let channels, let kernel, let expansion, let stride):
            guard channels > 0 else { return "skip" }
            return "c\(channels)k\(kernel)e\(expansion)s\(stride)"
        }
    }

    /// A readable description of the fields, e.g. `units=256`.
    package var fieldsDescription: String {
        switch kind {
        case .custom(let cost): return "cost=\(CostFormat.string(cost))"
        case .dense(let units): return "units=\(units)"
        case .conv(let channels, let kernel, let stride, let pool):
            return "channels=\(channels) kernel=\(kernel) stride=\(stride)" + (pool > 1 ? " pool=\(pool)" : "")
        case .invertedResidual(let channels, let kernel, let expansion, let stride):
            return "channels=\(channels) kernel=\(kernel) expansion=\(expansion) stride=\(stride)"
        }
    }
}
