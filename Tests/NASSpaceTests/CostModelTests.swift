import Testing
@testable import NASSpace

/// Costs checked against values computed by hand (formulas in ModelShape+Costs.swift).
@Suite struct CostModelTests {
    private func space(_ text: String) throws -> SearchSpace {
        try SpecLoader.parse(text: text, file: "inline.yaml")
    }

    @Test func mlpCountsEveryDenseLayerAndTheHeadAcrossASkip() throws {
        let space = try space("""
            name: m
            family: mlp
            input: [28, 28, 1]
            classes: 10
            layers: [{options: [256]}, {options: [0, 64]}, {options: [128]}]
            target: {metric: params}
            """)
        let costs = space.costs(of: try space.architecture(key: "256-skip-128"))
        // 784·256 + 256·128 + 128·10 multiply-accumulates; weights plus biases for params.
        #expect(costs.madds == 784 * 256 + 256 * 128 + 128 * 10)
        #expect(costs.madds == 234_752)
        #expect(costs.params == 784 * 256 + 256 + 256 * 128 + 128 + 128 * 10 + 10)
        #expect(costs.params == 235_146)
    }

    @Test func mlpWithEveryHiddenLayerSkippedIsALinearClassifier() throws {
        let space = try space("""
            name: m
            family: mlp
            input: [784]
            classes: 10
            layers: [{options: [0, 32]}, {options: [0, 32]}]
            target: {metric: madds}
            """)
        let costs = space.costs(of: try space.architecture(key: "skip-skip"))
        #expect(costs.madds == 7_840)
        #expect(costs.params == 7_850)
    }

    @Test func cnnCountsConvolutionsPoolingHeadAndStrideRounding() throws {
        let space = try space("""
            name: c
            family: cnn
            input: [28, 28, 1]
            classes: 10
            layers:
              - options: [{channels: 16, kernel: 3, stride: 1}, {channels: 16, kernel: 5, stride: 2}]
              - options: [{channels: 32, kernel: 3, stride: 2}, {channels: 0}]
              - options: [{channels: 8, kernel: 1, stride: 1}, {channels: 0}]
            target: {metric: madds}
            """)
        // 28×28×16 out: 784·9·1·16 = 112896; then 14×14×32: 196·9·16·32 = 903168; GAP; head 32·10.
        let first = space.costs(of: try space.architecture(key: "c16k3s1-c32k3s2-skip"))
        #expect(first.madds == 112_896 + 903_168 + 320)
        #expect(first.params == (9 * 16 + 16) + (9 * 16 * 32 + 32) + (32 * 10 + 10))
        // 14×14×16 out: 196·25·16 = 78400; skip; 1×1 conv 196·16·8 = 25088; head 8·10.
        let second = space.costs(of: try space.architecture(key: "c16k5s2-skip-c8k1s1"))
        #expect(second.madds == 78_400 + 25_088 + 80)
        #expect(second.params == (25 * 16 + 16) + (16 * 8 + 8) + (8 * 10 + 10))
    }

    @Test func oddSidesRoundUpUnderStrideTwo() throws {
        let space = try space("""
            name: c
            family: cnn
            input: [7, 7, 3]
            classes: 2
            layers: [{options: [{channels: 4, kernel: 3, stride: 2}]}]
            target: {metric: madds}
            """)
        // ceil(7/2) = 4: 4·4·9·3·4 = 1728, head 4·2.
        #expect(space.costs(of: Architecture([0])).madds == 1_728 + 8)
    }

    @Test func maxPoolingHalvesTheMapAndAFlattenHeadSeesEveryValue() throws {
        let space = try space("""
            name: c
            family: cnn
            input: [28, 28, 1]
            classes: 10
            head: flatten
            layers:
              - options: [{channels: 16, kernel: 3, pool: 2}, {channels: 16, kernel: 3}]
              - options: [{channels: 32, kernel: 3, pool: 2}, {channels: 0}]
            target: {metric: params}
            """)
        // 28×28×16 conv, pool → 14×14×16; 14×14×32 conv, pool → 7×7×32 = 1568 features to the head.
        let pooled = space.costs(of: try space.architecture(key: "c16k3s1p2-c32k3s1p2"))
        #expect(pooled.madds == 28 * 28 * 9 * 16 + 14 * 14 * 9 * 16 * 32 + 1_568 * 10)
        #expect(pooled.madds == 1_031_744)
        #expect(pooled.params == (9 * 16 + 16) + (9 * 16 * 32 + 32) + (1_568 * 10 + 10))
        // No pooling, second layer skipped: the head flattens 28×28×16.
        let flat = space.costs(of: try space.architecture(key: "c16k3s1-skip"))
        #expect(flat.params == (9 * 16 + 16) + (12_544 * 10 + 10))
        let shape = try #require(space.modelShape(for: try space.architecture(key: "c16k3s1p2-c32k3s1p2")))
        #expect(shape.layers == [.conv(channels: 16, kernel: 3, stride: 1), .maxPool(size: 2),
                                 .conv(channels: 32, kernel: 3, stride: 1), .maxPool(size: 2)])
        #expect(shape.head == .flatten && shape.params == pooled.params && shape.madds == pooled.madds)
    }

    @Test func poolingOnOddSidesKeepsThePartialBorderWindow() throws {
        let space = try space("""
            name: c
            family: cnn
            input: [7, 5, 2]
            classes: 3
            head: flatten
            layers: [{options: [{channels: 4, kernel: 1, pool: 3}]}]
            target: {metric: madds}
            """)
        // 7×5×4 conv (1×1: 35·2·4 = 280), pool 3 → ceil(7/3) × ceil(5/3) = 3×2×4 = 24 features.
        #expect(space.costs(of: Architecture([0])).madds == 280 + 24 * 3)
    }

    @Test func customCostIsTheSumOfOptionCosts() throws {
        let space = try SpecLoader.load(path: Examples.path("burger.yaml"))
        #expect(space.costs(of: try space.architecture(key: "C-B-D")) == Costs(cost: 9))
        #expect(space.costs(of: try space.architecture(key: "A-A-A")) == Costs(cost: 3))
    }

    @Test func modelShapeOmitsSkippedLayers() throws {
        let space = try SpecLoader.load(path: Examples.path("fashion-mlp.yaml"))
        let shape = try #require(space.modelShape(for: try space.architecture(key: "128-skip-64-skip")))
        #expect(shape.layers == [.dense(units: 128), .dense(units: 64)])
        #expect(shape.head == .flatten)
        #expect(shape.input.count == 784)
    }
}
