/// The kind of model a search space describes; it decides which option fields exist and how
/// costs are computed.
package enum SpaceFamily: String, Sendable, Codable, CaseIterable {
    /// Options carry a user-given numeric `cost`; an architecture costs the sum of its options.
    case custom
    /// A multilayer perceptron: options set a hidden layer's `units` (0 removes the layer).
    case mlp
    /// A small CNN: options set a conv layer's `channels`, `kernel`, `stride` (0 channels removes
    /// the layer); global average pooling and a linear head follow.
    case cnn
    /// A MobileNetV2-like network: a fixed stem conv, then per layer an inverted residual block
    /// with `channels`, `kernel`, `expansion`, `stride` (0 channels skips the block), an optional
    /// 1×1 head conv, global average pooling and a linear head (`MobileNetFrame`).
    case mobilenet

    /// Whether architectures of this family are networks the built-in trainer can build (every
    /// family but `custom`): they have MAdds and parameter counts.
    package var buildsNetwork: Bool { self != .custom }

    /// Cost metrics this family can compute.
    package var metrics: [CostMetric] {
        switch self {
        case .custom: return [.cost]
        case .mlp, .cnn, .mobilenet: return [.madds, .params]
        }
    }
}
