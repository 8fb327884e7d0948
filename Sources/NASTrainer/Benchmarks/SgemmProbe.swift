import NASSpace

/// Measures this machine's single-precision matrix-multiply rate, for benchmark reports.
package enum SgemmProbe {
    /// GFLOP/s of `cblas_sgemm` on two `n × n` matrices with `threads` OpenBLAS threads: the best
    /// of `repetitions` timed runs after one warm-up, counting `2n³` operations per multiply.
    ///
    /// Sets the process-wide OpenBLAS thread count to `threads` (see `BLASInfo.setThreads`).
    /// On this machine kind: about 21 GFLOP/s with the generic Prescott kernels and about
    /// 237 GFLOP/s with SkylakeX for `n = 2048` on 2 threads.
    package static func gflops(n: Int = 2048, threads: Int, repetitions: Int = 3) -> Double {
        precondition(n >= 1 && repetitions >= 1, "need n ≥ 1 and at least one repetition")
        BLASInfo.setThreads(threads)
        var generator = SplitMix64(seed: 42)
        let a = Matrix(rows: n, cols: n, storage: (0..<(n * n)).map { _ in generator.nextUniform() - 0.5 })
        let b = Matrix(rows: n, cols: n, storage: (0..<(n * n)).map { _ in generator.nextUniform() - 0.5 })
        var c = Matrix(rows: n, cols: n)
        Matrix.gemm(a, b, into: &c)
        let clock = ContinuousClock()
        var best = Duration.seconds(Int64.max / 4)
        for _ in 0..<repetitions {
            let elapsed = clock.measure { Matrix.gemm(a, b, into: &c) }
            best = min(best, elapsed)
        }
        return 2 * Double(n) * Double(n) * Double(n) / best.seconds / 1e9
    }
}

extension Duration {
    /// This duration in seconds, as a `Double`.
    var seconds: Double {
        let parts = components
        return Double(parts.seconds) + Double(parts.attoseconds) * 1e-18
    }
}
