import NASTrainer

extension LayerNAS {
    /// What the executable does before anything else: make OpenBLAS load its fast kernels.
    ///
    /// OpenBLAS 0.3.21 picks its slow generic kernels on recent Intel CPUs unless
    /// `OPENBLAS_CORETYPE` is set before it loads, so this re-executes the process once with the
    /// variable set from the CPU flags — unless the user set it, which is respected.
    package static func prepareProcess() {
        OpenBLASCoreType.ensureFastKernels()
    }
}
