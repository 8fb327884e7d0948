/// A cost an architecture has without training.
package enum CostMetric: String, Sendable, Codable, CaseIterable, CustomStringConvertible {
    /// The sum of the user-given option costs (`custom` spaces).
    case cost
    /// Multiply-accumulates of one forward pass (`mlp`, `cnn`).
    case madds
    /// Trainable parameters, weights and biases (`mlp`, `cnn`).
    case params

    /// The metric's raw name.
    package var description: String { rawValue }
}
