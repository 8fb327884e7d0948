internal import COpenBLAS

/// Whether a GEMM operand is used as stored or transposed.
enum Transposition: Sendable {
    case none
    case transposed
}

extension Matrix {
    /// Rows of `op(self)`.
    func rows(_ transposition: Transposition) -> Int { transposition == .none ? rows : cols }
    /// Columns of `op(self)`.
    func cols(_ transposition: Transposition) -> Int { transposition == .none ? cols : rows }

    /// General matrix multiply through OpenBLAS `cblas_sgemm`:
    /// `c ← alpha · op(a) · op(b) + beta · c`.
    ///
    /// `op(a)` is `m × k`, `op(b)` is `k × n` and `c` must already be `m × n`; every dimension is
    /// checked. With `beta == 0` the previous contents of `c` are ignored.
    ///
    /// - Complexity: `2 · m · n · k` floating-point operations.
    static func gemm(
        _ a: Matrix, _ b: Matrix, into c: inout Matrix,
        transposeA: Transposition = .none, transposeB: Transposition = .none,
        alpha: Float = 1, beta: Float = 0
    ) {
        let m = a.rows(transposeA)
        let k = a.cols(transposeA)
        let n = b.cols(transposeB)
        precondition(m > 0 && n > 0 && k > 0, "gemm needs non-empty operands, got m=\(m) n=\(n) k=\(k)")
        precondition(b.rows(transposeB) == k, "gemm inner dimensions differ: op(a) is \(m)×\(k), op(b) is \(b.rows(transposeB))×\(n)")
        precondition(c.rows == m && c.cols == n, "gemm output is \(c.rows)×\(c.cols), expected \(m)×\(n)")
        precondition(m <= Int(Int32.max) && n <= Int(Int32.max) && k <= Int(Int32.max), "gemm dimensions exceed Int32")
        let lda = Int32(a.cols), ldb = Int32(b.cols), ldc = Int32(c.cols)
        let ta = transposeA == .none ? CblasNoTrans : CblasTrans
        let tb = transposeB == .none ? CblasNoTrans : CblasTrans
        a.withUnsafeElements { pa in
            b.withUnsafeElements { pb in
                c.withUnsafeMutableElements { pc in
                    cblas_sgemm(
                        CblasRowMajor, ta, tb, Int32(m), Int32(n), Int32(k),
                        alpha, pa.baseAddress, lda, pb.baseAddress, ldb,
                        beta, pc.baseAddress, ldc
                    )
                }
            }
        }
    }
}
