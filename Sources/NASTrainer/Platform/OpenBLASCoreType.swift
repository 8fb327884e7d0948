import Foundation

/// Choosing OpenBLAS's CPU kernels before the library initialises.
///
/// OpenBLAS 0.3.21 (Debian 12) does not recognise recent Intel CPUs and falls back to its generic
/// "Prescott" kernels, about 10× slower than the AVX-512 "SkylakeX" ones. It reads the
/// environment variable `OPENBLAS_CORETYPE` once, when the shared library loads — which happens
/// before `main` — so the executable detects the CPU and re-executes itself with the variable set.
///
/// Call `ensureFastKernels()` as the very first statement of the executable:
///
/// ```swift
/// // Sources/layernas/main.swift
/// import NASTrainer
/// OpenBLASCoreType.ensureFastKernels()
/// await LayerNAS.main()
/// ```
///
/// A value the user already set is respected, and a guard variable makes sure the process
/// re-executes at most once.
package enum OpenBLASCoreType {
    /// The variable OpenBLAS reads at load time.
    package static let environmentVariable = "OPENBLAS_CORETYPE"
    /// Set before re-executing, so the new process never re-executes again.
    package static let guardVariable = "LAYERNAS_REEXECED"

    /// What `ensureFastKernels` does.
    package enum Decision: Sendable, Hashable, CustomStringConvertible {
        /// Re-execute with `OPENBLAS_CORETYPE` set to `coreType`.
        case reexec(coreType: String)
        /// Carry on as is.
        case keep(Reason)

        /// Human-readable explanation for logs.
        package var description: String {
            switch self {
            case .reexec(let coreType): return "re-executing with \(OpenBLASCoreType.environmentVariable)=\(coreType)"
            case .keep(let reason): return reason.description
            }
        }
    }

    /// Why the process carries on without re-executing.
    package enum Reason: Sendable, Hashable, CustomStringConvertible {
        /// The user set `OPENBLAS_CORETYPE` (value given); it is respected.
        case userChoice(String)
        /// This process is already the re-executed one.
        case alreadyReexecuted
        /// The CPU has neither AVX-512 nor AVX2+FMA; OpenBLAS's own detection is kept.
        case unrecognisedCPU
        /// `execv` failed with this `errno`; OpenBLAS keeps the kernels it picked.
        case reexecFailed(errno: Int32)

        /// Human-readable explanation for logs.
        package var description: String {
            switch self {
            case .userChoice(let value): return "using \(OpenBLASCoreType.environmentVariable)=\(value) set by the user"
            case .alreadyReexecuted: return "already re-executed (\(OpenBLASCoreType.guardVariable) is set)"
            case .unrecognisedCPU: return "no AVX-512 or AVX2 found; keeping OpenBLAS's own CPU detection"
            case .reexecFailed(let code): return "could not re-execute (errno \(code)); keeping OpenBLAS's own CPU detection"
            }
        }
    }

    /// The OpenBLAS core type for a CPU with these `/proc/cpuinfo` flags, if it is one OpenBLAS
    /// 0.3.21 may misdetect: `SkylakeX` for avx512f+avx512bw+avx512vl+avx512dq, `Haswell` for
    /// avx2+fma, otherwise `nil`.
    package static func coreType(forCPUFlags flags: Set<Substring>) -> String? {
        if ["avx512f", "avx512bw", "avx512vl", "avx512dq"].allSatisfy(flags.contains) { return "SkylakeX" }
        if ["avx2", "fma"].allSatisfy(flags.contains) { return "Haswell" }
        return nil
    }

    /// The flags of the first `flags` line of a `/proc/cpuinfo` text (empty if there is none).
    package static func cpuFlags(cpuinfo: String) -> Set<Substring> {
        for line in cpuinfo.split(separator: "\n") {
            let parts = line.split(separator: ":", maxSplits: 1)
            guard parts.count == 2, parts[0].trimmingCharacters(in: .whitespaces) == "flags" else { continue }
            return Set(parts[1].split(whereSeparator: { $0 == " " || $0 == "\t" }))
        }
        return []
    }

    /// The pure decision: given the `/proc/cpuinfo` text and the environment, whether to
    /// re-execute and with which core type.
    ///
    /// Order: the guard variable wins (never loop), then a user-set `OPENBLAS_CORETYPE`, then CPU
    /// detection.
    package static func decide(cpuinfo: String, environment: [String: String]) -> Decision {
        if environment[guardVariable] != nil { return .keep(.alreadyReexecuted) }
        if let value = environment[environmentVariable] { return .keep(.userChoice(value)) }
        guard let coreType = coreType(forCPUFlags: cpuFlags(cpuinfo: cpuinfo)) else {
            return .keep(.unrecognisedCPU)
        }
        return .reexec(coreType: coreType)
    }

    /// Re-executes the process with `OPENBLAS_CORETYPE` set when `decide` says so.
    ///
    /// Returns only when the process carries on (the returned decision says why); on success of
    /// the re-exec it does not return. Must run before anything else in `main`, since the
    /// re-executed process starts over.
    @discardableResult
    package static func ensureFastKernels() -> Decision {
        let cpuinfo = (try? String(contentsOfFile: "/proc/cpuinfo", encoding: .utf8)) ?? ""
        let decision = decide(cpuinfo: cpuinfo, environment: ProcessInfo.processInfo.environment)
        guard case .reexec(let coreType) = decision else { return decision }
        let code = ProcessReexec.reexec(setting: [(environmentVariable, coreType), (guardVariable, "1")])
        return .keep(.reexecFailed(errno: code))
    }
}
