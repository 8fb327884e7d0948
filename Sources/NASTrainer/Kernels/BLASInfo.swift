internal import COpenBLAS

/// What the loaded OpenBLAS library is doing: its kernel family and thread count.
package enum BLASInfo {
    /// The CPU kernel family OpenBLAS picked when it loaded, e.g. `"SkylakeX"`, `"Haswell"`, or
    /// `"Prescott"` (the slow generic fallback; see `OpenBLASCoreType`).
    package static var coreName: String {
        guard let name = openblas_get_corename() else { return "unknown" }
        return String(cString: name)
    }

    /// OpenBLAS's build configuration string (version, threading, dynamic-arch).
    package static var configuration: String {
        guard let config = openblas_get_config() else { return "unknown" }
        return String(cString: config)
    }

    /// Number of threads OpenBLAS uses for the next call.
    package static var threads: Int { Int(openblas_get_num_threads()) }

    /// Sets the number of OpenBLAS threads for the whole process.
    ///
    /// This is global state of the library: jobs in one process that train concurrently must all
    /// use the same count (and jobs × threads ≤ cores).
    package static func setThreads(_ count: Int) {
        precondition(count >= 1 && count <= 1024, "BLAS thread count must be in 1...1024, got \(count)")
        openblas_set_num_threads(Int32(count))
    }
}
