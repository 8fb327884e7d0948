import Foundation
import NASTestSupport
import Testing

@Suite struct SpaceCommandTests {
    static let examples = ["burger.yaml", "burger.json", "fashion-mlp.yaml", "fashion-cnn.yaml", "fashion-cnn-pooled.yaml"]

    @Test(arguments: examples)
    func spaceShowDescribesEveryExample(name: String) throws {
        let result = try CommandRunner.run(["space", "show", CommandRunner.example(name)])
        #expect(result.status == 0, "\(result.stderr)")
        #expect(result.stdout.contains("architectures inside"))
        #expect(result.stdout.contains("[default]"))
        #expect(result.stderr.isEmpty)
    }

    @Test func burgerReports64Architectures22InsideAndRange3To12() throws {
        let result = try CommandRunner.run(["space", "show", CommandRunner.example("burger.yaml"), "--format", "json"])
        #expect(result.status == 0)
        let json = try #require(try JSONSerialization.jsonObject(with: Data(result.stdout.utf8)) as? [String: Any])
        #expect(json["architectures"] as? Int == 64)
        #expect(json["cost_min"] as? Double == 3)
        #expect(json["cost_max"] as? Double == 12)
        #expect(json["default_architecture"] as? String == "D-D-D")
        let census = try #require(json["in_window"] as? [String: Any])
        #expect(census["count"] as? Int == 22)
        #expect(census["exact"] as? Bool == true)
        let text = try CommandRunner.run(["space", "show", CommandRunner.example("burger.yaml")]).stdout
        #expect(text.contains("64 architectures"))
        #expect(text.contains("cost range: 3 .. 12"))
        #expect(text.contains("22 architectures inside"))
    }

    @Test func spaceCostPrintsEveryMetric() throws {
        let result = try CommandRunner.run(["space", "cost", CommandRunner.example("fashion-mlp.yaml"), "256-skip-64-skip", "--format", "json"])
        #expect(result.status == 0, "\(result.stderr)")
        let json = try #require(try JSONSerialization.jsonObject(with: Data(result.stdout.utf8)) as? [String: Any])
        let costs = try #require(json["costs"] as? [String: Double])
        #expect(costs["madds"] == Double(784 * 256 + 256 * 64 + 64 * 10))
        #expect(costs["params"] == Double(784 * 256 + 256 + 256 * 64 + 64 + 64 * 10 + 10))
        #expect(json["arch"] as? String == "256-skip-64-skip")
    }

    @Test func invalidKeyIsOneLineAndExitTwo() throws {
        let result = try CommandRunner.run(["space", "cost", CommandRunner.example("burger.yaml"), "C-Q-D"])
        #expect(result.status == 2)
        #expect(result.stderrLines == ["error: architecture 'C-Q-D': layer 2 (middle) has no option 'Q'; options: A, B, C, D"])
        #expect(result.stdout.isEmpty)
    }

    @Test func malformedSpecsExitTwoWithTheExpectedLine() throws {
        let directory = CommandRunner.packageRoot.appendingPathComponent("Tests/NASSpaceTests/Fixtures/invalid")
        let names = try FileManager.default.contentsOfDirectory(atPath: directory.path).filter { !$0.hasSuffix(".expect") }.sorted()
        #expect(names.count >= 15)
        for name in names {
            let path = directory.appendingPathComponent(name).path
            let sidecar = try? String(contentsOfFile: path + ".expect", encoding: .utf8)
            let expectation = try sidecar ?? String(contentsOfFile: path, encoding: .utf8)
            let firstLine = String(expectation.split(separator: "\n").first ?? "")
            let expected = firstLine.hasPrefix("# expect: ") ? String(firstLine.dropFirst(10)) : firstLine
            let result = try CommandRunner.run(["space", "show", path])
            #expect(result.status == 2, "\(name)")
            #expect(result.stderrLines.count == 1, "\(name): \(result.stderr)")
            #expect(result.stderr.contains(expected), "\(name): \(result.stderr)")
            #expect(result.stdout.isEmpty, "\(name)")
        }
    }

    @Test func badUsageExitsTwo() throws {
        let result = try CommandRunner.run(["space", "show"])
        #expect(result.status == 2)
        #expect(result.stderr.contains("Missing expected argument"))
        let unknown = try CommandRunner.run(["frobnicate"])
        #expect(unknown.status == 2)
    }

    @Test func helpAndVersionSucceed() throws {
        let help = try CommandRunner.run(["--help"])
        #expect(help.status == 0)
        #expect(help.stdout.contains("SUBCOMMANDS"))
        let version = try CommandRunner.run(["--version"])
        #expect(version.status == 0)
        #expect(version.stdout.trimmingCharacters(in: .whitespacesAndNewlines).split(separator: ".").count == 3)
    }

    @Test func everySubcommandHelpHasAnExample() throws {
        let help = try CommandRunner.run(["--help"]).stdout
        let listed = help.components(separatedBy: "SUBCOMMANDS:").last ?? ""
        let commands = listed.split(separator: "\n").compactMap { line -> String? in
            let word = line.trimmingCharacters(in: .whitespaces).split(separator: " ").first.map(String.init)
            guard let word, !word.isEmpty, word != "See", word != "help", !word.hasPrefix("(") else { return nil }
            return word
        }
        #expect(commands.contains("space"))
        for command in commands {
            let text = try CommandRunner.run([command, "--help"]).stdout
            let subcommands = text.components(separatedBy: "SUBCOMMANDS:").last.map { part in
                part.split(separator: "\n").compactMap { $0.trimmingCharacters(in: .whitespaces).split(separator: " ").first.map(String.init) }
                    .filter { $0 != "See" && $0 != "help" && !$0.hasPrefix("(") }
            } ?? []
            if text.contains("SUBCOMMANDS:") {
                for sub in subcommands {
                    let subText = try CommandRunner.run([command, sub, "--help"]).stdout
                    #expect(subText.contains("Example"), "\(command) \(sub) --help has no example")
                }
            } else {
                #expect(text.contains("Example"), "\(command) --help has no example")
            }
        }
    }
}
