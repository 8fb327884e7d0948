import Testing
@testable import NASSpace

@Suite struct ArchitectureKeyTests {
    @Test func everyArchitectureRoundTripsThroughItsKey() throws {
        for name in Examples.all {
            let space = try SpecLoader.load(path: Examples.path(name))
            for architecture in CostBoundsTests.allArchitectures(space).prefix(500) {
                #expect(try space.architecture(key: space.key(of: architecture)) == architecture)
            }
        }
    }

    @Test func keyWithWrongLayerCountIsRefused() throws {
        let space = try SpecLoader.load(path: Examples.path("burger.yaml"))
        #expect(throws: SpaceError.badArchitecture(key: "C-B", message: "expected 3 labels joined by '-' (one per layer), got 2")) {
            try space.architecture(key: "C-B")
        }
    }

    @Test func keyWithUnknownLabelNamesTheLayerAndItsOptions() throws {
        let space = try SpecLoader.load(path: Examples.path("burger.yaml"))
        #expect(throws: SpaceError.badArchitecture(key: "C-X-D", message: "layer 2 (middle) has no option 'X'; options: A, B, C, D")) {
            try space.architecture(key: "C-X-D")
        }
    }
}
