import Foundation
import NASTrainer

/// Who chose the OpenBLAS kernel this process runs, for `search`, `status`, `train --verbose`
/// and `bench`: the user (`OPENBLAS_CORETYPE` in the environment), layernas (it set the variable
/// from the CPU flags and re-executed itself, see `OpenBLASCoreType`), or OpenBLAS's own CPU
/// detection (the variable is unset: layernas found no CPU it knows OpenBLAS misdetects, or
/// could not re-execute).
enum KernelReport {
    static var origin: String {
        let environment = ProcessInfo.processInfo.environment
        guard let value = environment[OpenBLASCoreType.environmentVariable] else {
            return "chosen by OpenBLAS's own CPU detection"
        }
        // The guard variable is set only by the re-execution, so its presence means layernas set
        // the core type (a user's own value is never replaced).
        if environment[OpenBLASCoreType.guardVariable] != nil {
            return "\(OpenBLASCoreType.environmentVariable)=\(value) set by layernas from the CPU flags"
        }
        return "\(OpenBLASCoreType.environmentVariable)=\(value) set by the user"
    }
}
