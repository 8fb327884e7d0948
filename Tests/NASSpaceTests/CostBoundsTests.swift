import Testing
@testable import NASSpace

/// The dynamic-programming bounds against brute force over every completion.
@Suite struct CostBoundsTests {
    /// Small random spaces of every family, including skips, strides, pooling and both cnn heads, so
    /// costs are not additive.
    static func randomSpaces(seed: UInt64) -> [SearchSpace] {
        var generator = SplitMix64(seed: seed)
        func pick<T>(_ values: [T]) -> T { values[Int(generator.next() % UInt64(values.count))] }
        var spaces: [SearchSpace] = []
        for _ in 0..<6 {
            let layerCount = 2 + Int(generator.next() % 3)
            var mlpLayers: [String] = []
            var cnnLayers: [String] = []
            var customLayers: [String] = []
            var mobileLayers: [String] = []
            for _ in 0..<layerCount {
                let widths = Set((0..<3).map { _ in pick([0, 1, 4, 8, 16, 48]) }).sorted()
                mlpLayers.append("{options: [\(widths.map(String.init).joined(separator: ", "))]}")
                let convs = Set((0..<3).map { _ in "{channels: \(pick([0, 2, 5, 8])), kernel: \(pick([1, 3, 5])), stride: \(pick([1, 2])), pool: \(pick([1, 1, 2, 3]))}" })
                let labelled = convs.sorted().enumerated().map { index, text in
                    text.replacingOccurrences(of: "{", with: "{label: o\(index), ")
                }
                cnnLayers.append("{options: [\(labelled.joined(separator: ", "))]}")
                let costs = (0..<3).map { index in "{label: o\(index), cost: \(pick([0, 1, 2.5, 7, 11]))}" }
                customLayers.append("{options: [\(costs.joined(separator: ", "))]}")
                let blocks = Set((0..<3).map { _ in "{channels: \(pick([0, 2, 4, 6])), kernel: \(pick([3, 5, 7])), expansion: \(pick([1, 3, 6])), stride: \(pick([1, 2]))}" })
                let blockLabels = blocks.sorted().enumerated().map { index, text in
                    text.replacingOccurrences(of: "{", with: "{label: o\(index), ")
                }
                mobileLayers.append("{options: [\(blockLabels.joined(separator: ", "))]}")
            }
            let texts = [
                "name: m\nfamily: mlp\ninput: [5, 5, 2]\nclasses: 3\nlayers: [\(mlpLayers.joined(separator: ", "))]\ntarget: {metric: \(pick(["madds", "params"]))}",
                "name: c\nfamily: cnn\ninput: [9, 7, 3]\nclasses: 4\nhead: \(pick(["global_average_pool", "flatten"]))\nlayers: [\(cnnLayers.joined(separator: ", "))]\ntarget: {metric: \(pick(["madds", "params"]))}",
                "name: u\nfamily: custom\nlayers: [\(customLayers.joined(separator: ", "))]\ntarget: {metric: cost}",
                "name: b\nfamily: mobilenet\ninput: [9, 7, 3]\nclasses: 4\nstem: {channels: \(pick([2, 4])), stride: \(pick([1, 2]))}\nhead_channels: \(pick([0, 5]))\nlayers: [\(mobileLayers.joined(separator: ", "))]\ntarget: {metric: \(pick(["madds", "params"]))}",
            ]
            for text in texts {
                if let space = try? SpecLoader.parse(text: text, file: "random.yaml") { spaces.append(space) }
            }
        }
        return spaces
    }

    static func allArchitectures(_ space: SearchSpace) -> [Architecture] {
        var result: [[Int]] = [[]]
        for layer in space.layers {
            result = result.flatMap { prefix in layer.options.indices.map { prefix + [$0] } }
        }
        return result.map(Architecture.init)
    }

    static func bruteRange(_ costs: [Double]) -> ClosedRange<Double> {
        costs.min()!...costs.max()!
    }

    @Test(arguments: [1, 2, 3] as [UInt64])
    func completionRangeEqualsBruteForceForEveryPrefix(seed: UInt64) {
        let spaces = Self.randomSpaces(seed: seed)
        #expect(spaces.count >= 12)
        for space in spaces {
            let all = Self.allArchitectures(space)
            let cost = Dictionary(uniqueKeysWithValues: all.map { ($0, space.targetCost(of: $0)) })
            #expect(space.reachableRange == Self.bruteRange(Array(cost.values)))
            for architecture in all {
                for decided in 0...space.layers.count {
                    let completions = all.filter {
                        Array($0.optionIndices.prefix(decided)) == Array(architecture.optionIndices.prefix(decided))
                    }
                    let expected = Self.bruteRange(completions.map { cost[$0]! })
                    #expect(space.completionRange(of: architecture, decided: decided) == expected)
                }
            }
        }
    }

    @Test(arguments: [4, 5] as [UInt64])
    func prefixRangeEqualsBruteForceWithDefaultsAfter(seed: UInt64) {
        for space in Self.randomSpaces(seed: seed) {
            let all = Self.allArchitectures(space)
            for layer in space.layers.indices {
                let members = all.filter { architecture in
                    space.layers.indices.allSatisfy { index in
                        index <= layer || architecture.optionIndices[index] == space.layers[index].defaultIndex
                    }
                }
                #expect(space.prefixRange(throughLayer: layer) == Self.bruteRange(members.map(space.targetCost(of:))))
            }
        }
    }

    @Test func defaultOptionIsTheMostExpensive() throws {
        for space in Self.randomSpaces(seed: 9) {
            let all = Self.allArchitectures(space)
            for (index, layer) in space.layers.enumerated() {
                let highest = all.filter { $0.optionIndices[index] == layer.defaultIndex }.map(space.targetCost(of:)).max()!
                #expect(highest == space.reachableRange.upperBound)
            }
        }
    }

    @Test func feasibilityMatchesTheBurgerExample() throws {
        let space = try SpecLoader.load(path: Examples.path("burger.yaml"))
        // After layer 2, only the top layer can lower the cost: A-A-D (6) cannot reach 8.
        #expect(!space.isFeasible(try space.architecture(key: "A-A-D"), decided: 2))
        #expect(space.isFeasible(try space.architecture(key: "A-C-D"), decided: 2))
        // After layer 1 anything can still be fixed.
        #expect(space.isFeasible(try space.architecture(key: "A-D-D"), decided: 1))
        // Fully decided: only the window counts.
        #expect(space.isFeasible(try space.architecture(key: "C-B-D"), decided: 3))
        #expect(!space.isFeasible(try space.architecture(key: "D-D-D"), decided: 3))
    }

    @Test func estimatedCensusIsCloseToTheExactCount() throws {
        let space = try SpecLoader.load(path: Examples.path("fashion-cnn.yaml"))
        let exact = space.windowCensus()
        let estimate = space.windowCensus(exactLimit: 10, samples: 100_000, seed: 3)
        #expect(exact.isExact && !estimate.isExact)
        let tolerance = Double(space.architectureCount) * 0.02
        #expect(abs(Double(estimate.count - exact.count)) <= tolerance)
    }
}
