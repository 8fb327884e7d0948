import Foundation
import Testing
@testable import NASSpace

/// The spec files shipped under `examples/`.
enum Examples {
    static let directory = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("examples")

    static func path(_ name: String) -> String { directory.appendingPathComponent(name).path }

    static var all: [String] {
        ((try? FileManager.default.contentsOfDirectory(atPath: directory.path)) ?? [])
            .filter { $0.hasSuffix(".yaml") || $0.hasSuffix(".json") }.sorted()
    }
}

@Suite struct ExampleSpaceTests {
    @Test func burgerHas64ArchitecturesAnd22InsideTheWindow() throws {
        let space = try SpecLoader.load(path: Examples.path("burger.yaml"))
        #expect(space.architectureCount == 64)
        #expect(space.reachableRange == 3...12)
        let census = space.windowCensus()
        #expect(census == WindowCensus(count: 22, isExact: true, sampled: 0))
        #expect(space.key(of: space.defaultArchitecture) == "D-D-D")
    }

    @Test func yamlAndJsonOfTheSameSpaceAreEqual() throws {
        let yaml = try SpecLoader.load(path: Examples.path("burger.yaml"))
        let json = try SpecLoader.load(path: Examples.path("burger.json"))
        #expect(yaml == json)
    }

    @Test(arguments: Examples.all)
    func everyExampleLoadsAndItsWindowIsInterior(name: String) throws {
        let space = try SpecLoader.load(path: Examples.path(name))
        let reachable = space.reachableRange
        #expect(space.windowCensus().count > 0)
        #expect(space.target.min >= reachable.lowerBound)
        #expect(space.target.max <= reachable.upperBound)
    }

    @Test func fashionExamplesAreRealisticSizeSearches() throws {
        for name in ["fashion-mlp.yaml", "fashion-cnn.yaml"] {
            let space = try SpecLoader.load(path: Examples.path(name))
            #expect((4...5).contains(space.layers.count), "\(name)")
            #expect(space.layers.allSatisfy { (3...8).contains($0.options.count) }, "\(name)")
            let census = space.windowCensus()
            #expect(census.count > 0 && census.count < space.architectureCount / 2, "\(name)")
        }
    }
}
