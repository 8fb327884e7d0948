import Testing
@testable import NASTrainer

@Suite struct OpenBLASCoreTypeTests {
    static let skylakeFlags = "fpu vme sse sse2 avx avx2 fma avx512f avx512dq avx512cd avx512bw avx512vl avx512_fp16"
    static func cpuinfo(_ flags: String) -> String {
        "processor\t: 0\nvendor_id\t: GenuineIntel\nmodel\t\t: 207\nflags\t\t: \(flags)\nbugs\t\t: spectre_v1\n\nprocessor\t: 1\nflags\t\t: sse\n"
    }

    @Test func avx512CPUReexecutesWithSkylakeX() {
        #expect(OpenBLASCoreType.decide(cpuinfo: Self.cpuinfo(Self.skylakeFlags), environment: [:]) == .reexec(coreType: "SkylakeX"))
    }

    @Test func avx2FmaCPUReexecutesWithHaswell() {
        #expect(OpenBLASCoreType.decide(cpuinfo: Self.cpuinfo("sse avx avx2 fma"), environment: ["PATH": "/bin"]) == .reexec(coreType: "Haswell"))
    }

    @Test func partialAvx512FallsBackToHaswellAndOldCPUsAreLeftAlone() {
        #expect(OpenBLASCoreType.decide(cpuinfo: Self.cpuinfo("avx2 fma avx512f avx512bw"), environment: [:]) == .reexec(coreType: "Haswell"))
        #expect(OpenBLASCoreType.decide(cpuinfo: Self.cpuinfo("sse sse2 avx"), environment: [:]) == .keep(.unrecognisedCPU))
        #expect(OpenBLASCoreType.decide(cpuinfo: "", environment: [:]) == .keep(.unrecognisedCPU))
    }

    @Test func valueSetByTheUserIsRespected() {
        let decision = OpenBLASCoreType.decide(cpuinfo: Self.cpuinfo(Self.skylakeFlags), environment: ["OPENBLAS_CORETYPE": "Haswell"])
        #expect(decision == .keep(.userChoice("Haswell")))
    }

    @Test func guardVariablePreventsASecondReexec() {
        let environment = ["LAYERNAS_REEXECED": "1"]
        #expect(OpenBLASCoreType.decide(cpuinfo: Self.cpuinfo(Self.skylakeFlags), environment: environment) == .keep(.alreadyReexecuted))
    }

    @Test func flagsAreReadFromTheFirstFlagsLineOnly() {
        let flags = OpenBLASCoreType.cpuFlags(cpuinfo: Self.cpuinfo("avx2 fma"))
        #expect(flags == ["avx2", "fma"])
    }

    @Test func blasInfoReportsAKernelName() {
        #expect(!BLASInfo.coreName.isEmpty)
        #expect(BLASInfo.configuration.contains("OpenBLAS"))
    }
}
