/// One trained parameter matrix as it leaves the trainer: `rows × cols` floats, row-major.
///
/// Layouts (the contract the ONNX export relies on, docs/ARCHITECTURE.md#retraining-and-onnx-export):
/// a dense weight is `inputs × outputs`; a conv weight is `(ky, kx, input channel) × output channels`
/// (the im2col patch order); a bias is `1 × outputs`. A flattened feature map is channels-last
/// (`(y, x, channel)` order).
package struct WeightTensor: Sendable, Equatable {
    /// Number of rows.
    package var rows: Int
    /// Number of columns.
    package var cols: Int
    /// The `rows · cols` values, row-major.
    package var values: [Float]

    /// A tensor from its parts; `values.count` must be `rows · cols`.
    package init(rows: Int, cols: Int, values: [Float]) {
        precondition(values.count == rows * cols, "\(values.count) values do not fill \(rows)×\(cols)")
        self.rows = rows
        self.cols = cols
        self.values = values
    }

    init(_ matrix: Matrix) {
        self.init(rows: matrix.rows, cols: matrix.cols, values: matrix.withUnsafeElements { Array($0) })
    }

    var matrix: Matrix { Matrix(rows: rows, cols: cols, storage: values) }
}
