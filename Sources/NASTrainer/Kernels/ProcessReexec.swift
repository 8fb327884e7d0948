import Foundation

/// Replacing the running process with a fresh copy of itself (the unsafe half of
/// `OpenBLASCoreType.ensureFastKernels`).
enum ProcessReexec {
    /// Sets `variables` in the environment and `execv`s `/proc/self/exe` with the original
    /// arguments. Returns only if something failed, with `errno`.
    static func reexec(setting variables: [(String, String)]) -> Int32 {
        for (name, value) in variables where setenv(name, value, 1) != 0 {
            return errno
        }
        fflush(nil)  // flush every stdio stream before the process image is replaced
        _ = execv("/proc/self/exe", CommandLine.unsafeArgv)
        return errno
    }
}
