internal import COpenBLAS

extension Kernel {
    /// `c ← alpha · op(a) · op(b) + beta · c` on row-major buffers with leading dimensions (row
    /// strides) `lda`, `ldb`, `ldc`: one `cblas_sgemm` call on parts of matrices, for kernels that
    /// work on blocks of rows (`Matrix.gemm` is the checked whole-matrix form).
    ///
    /// The callers pass pointers into buffers they hold for the duration of the call.
    ///
    /// - Complexity: `2 · m · n · k` floating-point operations.
    static func sgemm(
        _ transposeA: Transposition, _ transposeB: Transposition, m: Int, n: Int, k: Int,
        alpha: Float = 1, a: UnsafePointer<Float>, lda: Int, b: UnsafePointer<Float>, ldb: Int,
        beta: Float, c: UnsafeMutablePointer<Float>, ldc: Int
    ) {
        precondition(m > 0 && n > 0 && k > 0, "sgemm needs non-empty operands, got m=\(m) n=\(n) k=\(k)")
        precondition(lda >= (transposeA == .none ? k : m) && ldb >= (transposeB == .none ? n : k) && ldc >= n,
                     "sgemm leading dimensions too small: lda=\(lda) ldb=\(ldb) ldc=\(ldc) for m=\(m) n=\(n) k=\(k)")
        precondition(max(m, n, k, lda, ldb, ldc) <= Int(Int32.max), "sgemm dimensions exceed Int32")
        cblas_sgemm(
            CblasRowMajor, transposeA == .none ? CblasNoTrans : CblasTrans, transposeB == .none ? CblasNoTrans : CblasTrans,
            Int32(m), Int32(n), Int32(k), alpha, a, Int32(lda), b, Int32(ldb), beta, c, Int32(ldc)
        )
    }
}
