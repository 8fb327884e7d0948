import Foundation

/// Replacing the running process with a fresh copy of itself (the unsafe half of
/// `OpenBLASCoreType.ensureFastKernels`).
enum ProcessReexec {
    /// Sets `variables` in the environment and `execv`s this executable with the original
    /// arguments. Returns only if something failed, with `errno`.
    ///
    /// The executable is named by its resolved path, not `/proc/self/exe`, so the new process
    /// keeps its name (`comm`), which is how other layernas processes recognise it.
    static func reexec(setting variables: [(String, String)]) -> Int32 {
        for (name, value) in variables where setenv(name, value, 1) != 0 {
            return errno
        }
        let path = (try? FileManager.default.destinationOfSymbolicLink(atPath: "/proc/self/exe")) ?? "/proc/self/exe"
        fflush(nil)  // flush every stdio stream before the process image is replaced
        _ = execv(path, CommandLine.unsafeArgv)
        return errno
    }
}
