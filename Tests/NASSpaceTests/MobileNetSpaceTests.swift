import Foundation
import Testing
@testable import NASSpace

/// The `mobilenet` family: spec defaults, labels, the stored form, and costs checked against a
/// network counted by hand (formulas in ModelShape+Costs.swift; docs/ARCHITECTURE.md#mobilenet-family).
@Suite struct MobileNetSpaceTests {
    static let small = """
        name: small
        family: mobilenet
        input: [8, 8, 1]
        classes: 10
        stem: {channels: 4, kernel: 3, stride: 2}
        head_channels: 8
        layers:
          - name: b1
            options: [{channels: 4, kernel: 3, expansion: 2}, {channels: 0}]
          - name: b2
            options: [{channels: 6, kernel: 5, expansion: 1, stride: 2}]
        target: {metric: madds}
        """

    @Test func costsEqualAHandCountedNetwork() throws {
        let space = try SpecLoader.parse(text: Self.small, file: "small.yaml")
        // stem 3×3/2, 1 → 4 channels, 8×8 → 4×4: 16·9·1·4 = 576 MAdds, 36 + 4 params.
        // b1 c4k3e2s1 on 4×4×4, hidden 8: expand 16·4·8 = 512 (32 + 8 params), depthwise
        //   16·9·8 = 1152 (72 + 8), project 16·8·4 = 512 (32 + 4); residual (4 → 4, stride 1),
        //   not counted: 2176 MAdds, 156 params.
        // b2 c6k5e1s2 on 4×4×4 → 2×2×6, hidden 4, no expand: depthwise 4·25·4 = 400 (100 + 4),
        //   project 4·4·6 = 96 (24 + 6): 496 MAdds, 134 params.
        // head conv 1×1 6 → 8 on 2×2: 4·6·8 = 192 (48 + 8); classifier on 8 pooled channels:
        //   80 (80 + 10).
        let full = space.costs(of: try space.architecture(key: "c4k3e2s1-c6k5e1s2"))
        #expect(full.madds == 576 + 2176 + 496 + 192 + 80)
        #expect(full.params == 40 + 156 + 134 + 56 + 90)
        let skipped = space.costs(of: try space.architecture(key: "skip-c6k5e1s2"))
        #expect(skipped.madds == 576 + 496 + 192 + 80)
        #expect(skipped.params == 40 + 134 + 56 + 90)
        #expect(space.reachableRange == 1344...3520)
    }

    @Test func theModelShapeIsStemBlocksHeadConvAndPooling() throws {
        let space = try SpecLoader.parse(text: Self.small, file: "small.yaml")
        let shape = try #require(space.modelShape(for: try space.architecture(key: "skip-c6k5e1s2")))
        #expect(shape.layers == [
            .conv(channels: 4, kernel: 3, stride: 2),
            .invertedResidual(channels: 6, kernel: 5, expansion: 1, stride: 2),
            .conv(channels: 8, kernel: 1, stride: 1),
        ])
        #expect(shape.head == .globalAveragePool)
    }

    @Test func optionsGetDerivedLabelsAndDefaults() throws {
        let space = try SpecLoader.parse(text: """
            name: d
            family: mobilenet
            input: [28, 28, 1]
            classes: 10
            layers: [{options: [{channels: 24, kernel: 5, expansion: 6, stride: 2}, {channels: 16}, {channels: 0}]}]
            target: {metric: params}
            """, file: "d.yaml")
        #expect(space.layers[0].options.map(\.label) == ["c24k5e6s2", "c16k3e1s1", "skip"])
        #expect(space.frame == .standard)
        #expect(space.frame == MobileNetFrame(stemChannels: 16, stemKernel: 3, stemStride: 2, headChannels: 0))
    }

    @Test func aStoredMobileNetSpaceReadsBackEqual() throws {
        let space = try SpecLoader.parse(text: Self.small, file: "small.yaml")
        // The store's plain coder.
        let stored = try JSONEncoder().encode(space)
        #expect(try JSONDecoder().decode(SearchSpace.self, from: stored) == space)
        #expect(String(decoding: stored, as: UTF8.self).contains("\"invertedResidual\""))
        // A snake_case coder, as the request document's.
        let encoder = JSONEncoder()
        encoder.keyEncodingStrategy = .convertToSnakeCase
        let decoder = JSONDecoder()
        decoder.keyDecodingStrategy = .convertFromSnakeCase
        let data = try encoder.encode(space)
        #expect(try decoder.decode(SearchSpace.self, from: data) == space)
        let text = String(decoding: data, as: UTF8.self)
        #expect(text.contains("\"inverted_residual\""))
        #expect(text.contains("\"stem_channels\":4"))
    }

    @Test func otherFamiliesStoreNoFrame() throws {
        let space = try SpecLoader.load(path: Examples.path("fashion-cnn.yaml"))
        #expect(space.frame == nil)
        let text = String(decoding: try JSONEncoder().encode(space), as: UTF8.self)
        #expect(!text.contains("frame"))
    }

    @Test func theExampleSpaceIsAPaperLikeMAddsWindow() throws {
        let space = try SpecLoader.load(path: Examples.path("fashion-mobilenet.yaml"))
        #expect(space.family == .mobilenet && space.target.metric == .madds)
        #expect((4...6).contains(space.layers.count))
        let census = space.windowCensus()
        #expect(census.count > 0 && census.count < space.architectureCount / 2)
        #expect(space.key(of: space.defaultArchitecture) == "c24k5e6s1-c32k5e6s2-c48k5e6s1-c64k5e6s2-c96k5e6s1")
    }
}
