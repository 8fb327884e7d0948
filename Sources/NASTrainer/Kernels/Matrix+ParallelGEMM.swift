import Dispatch

/// GEMM split across threads by layernas instead of by OpenBLAS.
///
/// The trainer runs OpenBLAS single-threaded (`Trainer` sets its thread count to 1) and splits
/// work itself: OpenBLAS 0.3.21's own worker threads spin on `sched_yield` for about 0.1 s after
/// each call, taking a core from the im2col, ReLU and pooling passes that follow, and its
/// threading of the thin GEMMs of small convolutions gains little. With one BLAS thread per
/// caller, concurrent jobs in one process also no longer share a global thread count.
extension Matrix {
    /// `c ← alpha · op(a) · op(b) + beta · c`, like `gemm`, with `c` cut into `parallelism`
    /// disjoint blocks of rows (when `m ≥ n`) or of columns, none under 16 wide,
    /// each computed by one single-threaded `cblas_sgemm` call on its own thread; products of
    /// fewer than `minimumSplitWork` multiply-adds run in one call.
    ///
    /// The cut depends only on the shapes and `parallelism`, so the same call gives the same bits
    /// every time. Other `parallelism` may differ in the last bits: OpenBLAS picks its kernels
    /// (e.g. its small-matrix ones) by block size. Expects OpenBLAS to run single-threaded
    /// (`BLASInfo.setThreads(1)`); with more BLAS threads each block would be threaded again.
    /// Also suited to 1×1 convolutions on channels-last batches, which are this GEMM on the
    /// `(n · h · w) × c` view of the batch.
    ///
    /// - Complexity: `2 · m · n · k` floating-point operations, spread over `parallelism` threads.
    static func parallelGemm(
        _ a: Matrix, _ b: Matrix, into c: inout Matrix,
        transposeA: Transposition = .none, transposeB: Transposition = .none,
        alpha: Float = 1, beta: Float = 0, parallelism: Int, minimumSplitWork: Int = 1 << 20
    ) {
        precondition(parallelism >= 1, "parallelism must be at least 1")
        let m = a.rows(transposeA), k = a.cols(transposeA), n = b.cols(transposeB)
        // Blocks under 16 rows or columns are not worth a thread hop (OpenBLAS's micro-kernels
        // are 16 or more wide), nor are products under `minimumSplitWork` multiply-adds (waking a
        // thread costs some 10 µs, a million multiply-adds on one core about 20 µs).
        // Each thread reads all of the operand that is not cut: cut rows (every thread reads all
        // of op(b), k × n) when m ≥ n, else columns (every thread reads all of op(a), m × k).
        // For a wide layer's 256 × 1024 output that halves the weights each thread streams
        // (784-1024-1024 MLP: 1.01–1.26× in six alternating runs).
        let rowsSplittable = m >= 2 * parallelism * 16, colsSplittable = n >= 2 * parallelism * 16
        let splitRows = rowsSplittable && (m >= n || !colsSplittable)
        let splitCols = !splitRows && colsSplittable
        guard parallelism > 1, splitRows || splitCols, m * n * k >= minimumSplitWork else {
            gemm(a, b, into: &c, transposeA: transposeA, transposeB: transposeB, alpha: alpha, beta: beta)
            return
        }
        precondition(m > 0 && n > 0 && k > 0, "gemm needs non-empty operands, got m=\(m) n=\(n) k=\(k)")
        precondition(b.rows(transposeB) == k, "gemm inner dimensions differ: op(a) is \(m)×\(k), op(b) is \(b.rows(transposeB))×\(n)")
        precondition(c.rows == m && c.cols == n, "gemm output is \(c.rows)×\(c.cols), expected \(m)×\(n)")
        precondition(m <= Int(Int32.max) && n <= Int(Int32.max) && k <= Int(Int32.max), "gemm dimensions exceed Int32")
        let lda = a.cols, ldb = b.cols, ldc = c.cols
        let blocks = parallelism
        a.withUnsafeElements { pa in
            b.withUnsafeElements { pb in
                c.withUnsafeMutableElements { pc in
                    // The blocks write disjoint parts of `c`; the pointers do not outlive this call.
                    nonisolated(unsafe) let baseA = pa.baseAddress!, baseB = pb.baseAddress!, baseC = pc.baseAddress!
                    WorkerTeam.perform(iterations: blocks) { block in
                        if splitRows {
                            let r0 = block * m / blocks, r1 = (block + 1) * m / blocks
                            // Row r of op(a) starts at r · lda stored, at column r transposed.
                            let aOffset = transposeA == .none ? r0 * lda : r0
                            Kernel.sgemm(transposeA, transposeB, m: r1 - r0, n: n, k: k, alpha: alpha,
                                         a: baseA + aOffset, lda: lda, b: baseB, ldb: ldb, beta: beta, c: baseC + r0 * ldc, ldc: ldc)
                        } else {
                            let c0 = block * n / blocks, c1 = (block + 1) * n / blocks
                            // Column j of op(b) starts at column j stored, at row j transposed.
                            let bOffset = transposeB == .none ? c0 : c0 * ldb
                            Kernel.sgemm(transposeA, transposeB, m: m, n: c1 - c0, k: k, alpha: alpha,
                                         a: baseA, lda: lda, b: baseB + bOffset, ldb: ldb, beta: beta, c: baseC + c0, ldc: ldc)
                        }
                    }
                }
            }
        }
    }
}
