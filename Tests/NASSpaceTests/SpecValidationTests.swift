import NASTestSupport
import Foundation
import Testing
@testable import NASSpace

@Suite struct SpecValidationTests {
    @Test func everyMalformedFixtureHasAnExpectedMessage() {
        let cases = FixtureCatalog.cases
        #expect(cases.count >= 15)
        for fixture in cases {
            #expect(!fixture.expectedMessage.isEmpty, "\(fixture) states no expected message")
        }
    }

    @Test(arguments: FixtureCatalog.cases)
    func malformedSpecIsRefusedWithOneLineNamingFieldAndValue(fixture: FixtureCatalog.Case) {
        #expect(throws: SpaceError.self) { try SpecLoader.load(path: fixture.path) }
        do {
            _ = try SpecLoader.load(path: fixture.path)
        } catch {
            let message = error.description
            #expect(message.contains(fixture.expectedMessage), "got: \(message)")
            #expect(!message.contains("\n"))
            #expect(message.hasPrefix(fixture.path))
        }
    }

    @Test func missingFileIsNamed() {
        do {
            _ = try SpecLoader.load(path: "/nonexistent/space.yaml")
            Issue.record("a missing file was accepted")
        } catch {
            #expect(error.description == "/nonexistent/space.yaml: cannot read the file (does it exist?)")
        }
    }

    @Test func nonUTF8IsRefused() {
        let data = Data([0x6E, 0x61, 0x6D, 0x65, 0x3A, 0x20, 0xFF, 0xFE, 0x0A])
        #expect(throws: SpaceError.unreadable(file: "x.yaml", reason: "is not UTF-8 text")) {
            try SpecLoader.parse(data: data, file: "x.yaml")
        }
    }

    @Test func oversizedFileIsRefusedBeforeParsing() throws {
        let directory = try TemporaryDirectory()
        let path = directory.path("huge.yaml")
        try Data(repeating: 0x20, count: SpecLoader.maximumFileSize + 1).write(to: URL(fileURLWithPath: path))
        do {
            _ = try SpecLoader.load(path: path)
            Issue.record("an oversized file was accepted")
        } catch {
            #expect(error.description.contains("a spec may be at most"))
        }
    }

    @Test func omittedWindowBoundsCoverTheWholeRange() throws {
        let space = try SpecLoader.parse(text: """
            name: pareto
            family: custom
            layers:
              - options: [{label: A, cost: 1}, {label: B, cost: 5}]
              - options: [{label: A, cost: 2}, {label: B, cost: 3}]
            target: {metric: cost}
            """, file: "pareto.yaml")
        #expect(space.target.min == 3)
        #expect(space.target.max == 8)
    }

    @Test func trainingSectionOverridesDefaults() throws {
        let space = try SpecLoader.parse(text: """
            name: m
            family: mlp
            input: [784]
            classes: 10
            layers: [{options: [64, 0]}]
            target: {metric: params}
            training: {epochs: 3, train_subset: 5000, optimizer: adam, learning_rate: 0.001, schedule: step, seed: 7}
            """, file: "m.yaml")
        #expect(space.training.epochs == 3)
        #expect(space.training.trainSubset == 5000)
        #expect(space.training.optimizer == .adam)
        #expect(space.training.learningRate == 0.001)
        #expect(space.training.schedule == .step)
        #expect(space.training.seed == 7)
        #expect(space.training.batchSize == TrainingRecipe().batchSize)
    }
}
