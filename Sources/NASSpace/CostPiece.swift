/// One counted piece of a network: a dense layer, a conv, one step of an inverted residual block,
/// or the classifier, with its output shape (`HxWxC`, or a width).
package struct CostPiece: Sendable, Hashable, Codable {
    /// 1-based index of its layer in `ModelShape.layers` (skipped layers are not there; a
    /// `mobilenet` stem is layer 1); `nil` for the classifier.
    package var layer: Int?
    /// What the piece is, e.g. `depthwise 5x5/2 96` or `project 1x1 96→24 + residual`.
    package var name: String
    /// Its output shape.
    package var output: String
    /// Its multiply-accumulates per input.
    package var madds: Int
    /// Its trainable parameters (weights and bias).
    package var params: Int
}
