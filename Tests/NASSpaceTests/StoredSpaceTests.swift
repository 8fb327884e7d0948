import Foundation
import Testing
@testable import NASSpace

/// The JSON form a space is stored in with every search: it round-trips, and spaces stored before
/// `pool` and `head` existed still read back as the same space.
@Suite struct StoredSpaceTests {
    static let pooledSpec = """
        name: c
        family: cnn
        input: [28, 28, 1]
        classes: 10
        head: flatten
        layers:
          - options: [{channels: 16, kernel: 3, pool: 2}, {channels: 8, stride: 2}]
          - options: [{channels: 32, kernel: 3, pool: 2}, {channels: 0}]
        target: {metric: params}
        """

    static func encode(_ space: SearchSpace) throws -> [String: Any] {
        let data = try JSONEncoder().encode(space)
        return try #require(try JSONSerialization.jsonObject(with: data) as? [String: Any])
    }

    @Test func pooledSpaceWithFlattenHeadRoundTrips() throws {
        let space = try SpecLoader.parse(text: Self.pooledSpec, file: "pooled.yaml")
        #expect(space.head == .flatten)
        #expect(space.layers[0].options.map(\.label) == ["c16k3s1p2", "c8k3s2"])
        let decoded = try JSONDecoder().decode(SearchSpace.self, from: JSONEncoder().encode(space))
        #expect(decoded == space)
        #expect(decoded.costs(of: Architecture([0, 0])) == space.costs(of: Architecture([0, 0])))
    }

    @Test func spaceStoredBeforeHeadAndPoolExistedReadsAsTheSameSpace() throws {
        for example in ["fashion-cnn.yaml", "fashion-mlp.yaml", "burger.yaml"] {
            let space = try SpecLoader.load(path: Examples.path(example))
            var stored = try Self.encode(space)
            // The earlier layernas wrote no `head`, and conv options without a `pool` key.
            stored.removeValue(forKey: "head")
            let text = String(decoding: try JSONSerialization.data(withJSONObject: stored), as: UTF8.self)
            #expect(!text.contains("\"pool\""), "\(example): an option without pooling must be stored without a pool key")
            let decoded = try JSONDecoder().decode(SearchSpace.self, from: Data(text.utf8))
            #expect(decoded == space, "\(example)")
            #expect(decoded.head == SearchSpace.defaultHead(for: space.family))
        }
    }

    @Test func convOptionInTheEarlierStoredFormatHasNoPooling() throws {
        let old = #"{"conv":{"channels":16,"kernel":3,"stride":2}}"#
        let kind = try JSONDecoder().decode(LayerOption.Kind.self, from: Data(old.utf8))
        #expect(kind == .conv(channels: 16, kernel: 3, stride: 2, pool: 1))
        let pooled = try JSONEncoder().encode(LayerOption.Kind.conv(channels: 16, kernel: 3, stride: 1, pool: 2))
        #expect(try JSONDecoder().decode(LayerOption.Kind.self, from: pooled) == .conv(channels: 16, kernel: 3, stride: 1, pool: 2))
        #expect(throws: DecodingError.self) {
            try JSONDecoder().decode(LayerOption.Kind.self, from: Data(#"{"conv":{"channels":1,"kernel":1,"stride":1},"dense":{"units":2}}"#.utf8))
        }
    }
}
