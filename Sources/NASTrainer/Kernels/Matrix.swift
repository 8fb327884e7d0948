/// A dense, row-major matrix of `Float`: the one tensor type the trainer computes with.
///
/// Element `(r, c)` lives at `storage[r * cols + c]`. Activations of a batch are `n × features`
/// matrices; a channels-last feature map of `n` images is the `n × (h · w · c)` matrix of the same
/// memory, and `reshape(rows:cols:)` switches between the two views without copying.
///
/// The storage is a Swift array (copy-on-write, value semantics); BLAS and the other kernels in
/// this folder see it only through `withUnsafe(Mutable)BufferPointer` around one call.
struct Matrix: Sendable, Equatable {
    /// Number of rows.
    private(set) var rows: Int
    /// Number of columns (the row stride).
    private(set) var cols: Int
    /// The `rows · cols` elements, row-major.
    private(set) var storage: [Float]

    /// A `rows × cols` matrix of zeros.
    init(rows: Int, cols: Int) {
        precondition(rows >= 0 && cols >= 0, "matrix dimensions must be non-negative: \(rows)×\(cols)")
        self.rows = rows
        self.cols = cols
        self.storage = [Float](repeating: 0, count: rows * cols)
    }

    /// A `rows × cols` matrix over `storage` (row-major, exactly `rows · cols` elements).
    init(rows: Int, cols: Int, storage: [Float]) {
        precondition(rows >= 0 && cols >= 0, "matrix dimensions must be non-negative: \(rows)×\(cols)")
        precondition(storage.count == rows * cols, "storage has \(storage.count) elements, expected \(rows)×\(cols)")
        self.rows = rows
        self.cols = cols
        self.storage = storage
    }

    /// Number of elements, `rows · cols`.
    var count: Int { rows * cols }

    /// Element at row `row`, column `column`.
    subscript(row: Int, column: Int) -> Float {
        get {
            precondition(row >= 0 && row < rows && column >= 0 && column < cols, "index (\(row), \(column)) outside \(rows)×\(cols)")
            return storage[row * cols + column]
        }
        set {
            precondition(row >= 0 && row < rows && column >= 0 && column < cols, "index (\(row), \(column)) outside \(rows)×\(cols)")
            storage[row * cols + column] = newValue
        }
    }

    /// Element `index` of the row-major storage.
    subscript(flat index: Int) -> Float {
        get { storage[index] }
        set { storage[index] = newValue }
    }

    /// Reinterprets the same elements as a `rows × cols` matrix (no copy).
    mutating func reshape(rows: Int, cols: Int) {
        precondition(rows >= 0 && cols >= 0 && rows * cols == count, "cannot reshape \(self.rows)×\(self.cols) to \(rows)×\(cols)")
        self.rows = rows
        self.cols = cols
    }

    /// Makes this a `rows × cols` matrix, reusing the storage when the element count is unchanged.
    ///
    /// The contents afterwards are unspecified (callers overwrite them); new storage is zeroed.
    mutating func resize(rows: Int, cols: Int) {
        precondition(rows >= 0 && cols >= 0, "matrix dimensions must be non-negative: \(rows)×\(cols)")
        if rows * cols != storage.count {
            storage = [Float](repeating: 0, count: rows * cols)
        }
        self.rows = rows
        self.cols = cols
    }

    /// Sets every element to `value`.
    mutating func fill(_ value: Float) {
        storage.withUnsafeMutableBufferPointer { $0.update(repeating: value) }
    }

    /// Runs `body` on the elements, read-only. The pointer must not escape `body`.
    func withUnsafeElements<R>(_ body: (UnsafeBufferPointer<Float>) throws -> R) rethrows -> R {
        try storage.withUnsafeBufferPointer(body)
    }

    /// Runs `body` on the elements, writable. The pointer must not escape `body`.
    mutating func withUnsafeMutableElements<R>(_ body: (inout UnsafeMutableBufferPointer<Float>) throws -> R) rethrows -> R {
        try storage.withUnsafeMutableBufferPointer(body)
    }
}
