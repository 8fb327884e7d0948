import Foundation
import NASTestSupport
import Testing

/// `layernas history`, `curves` and `pareto --log-x` as a user runs them: formats, refusals with
/// one line and exit 2, and databases left untouched.
@Suite struct PlotCommandTests {
    /// A database with two synthetic searches of the MLP example: `paper` (LayerNAS-paper, which
    /// also evaluates candidates outside the window) and `random`.
    static func twoSearches(_ directory: TemporaryDirectory) throws -> String {
        let path = directory.path("two.db")
        for (name, strategy, budget) in [("paper", "layernas-paper", "40"), ("random", "random", "25")] {
            let result = try CommandRunner.run(["search", path, "--space", CommandRunner.example("fashion-mlp.yaml"), "--name", name,
                                                "--strategy", strategy, "--evaluator", "synthetic", "--budget", budget, "--quiet"])
            #expect(result.status == 0, "\(result.stderr)")
        }
        return path
    }

    /// A database whose candidates have stored epochs: a command evaluator that reports a
    /// three-epoch curve depending on the candidate id.
    static func withCurves(_ directory: TemporaryDirectory) throws -> String {
        let script = directory.path("curve.sh")
        try """
            cat > /dev/null
            id=$LAYERNAS_CANDIDATE_ID
            echo "{\\"score\\": 0.$((50 + id % 40)), \\"curve\\": [{\\"epoch\\": 1, \\"train_loss\\": 1.$((id % 9)), \\"train_accuracy\\": 0.4, \\"validation_accuracy\\": 0.35}, {\\"epoch\\": 2, \\"train_loss\\": 0.8, \\"validation_accuracy\\": 0.5$((id % 9))}, {\\"epoch\\": 3, \\"train_loss\\": 0.5, \\"train_accuracy\\": 0.7, \\"validation_accuracy\\": 0.$((50 + id % 40))}]}"
            """.write(toFile: script, atomically: true, encoding: .utf8)
        let path = directory.path("curves.db")
        let result = try CommandRunner.run(["search", path, "--space", CommandRunner.example("burger.yaml"),
                                            "--evaluator", "command:sh \(script)", "--budget", "5", "--quiet"])
        #expect(result.status == 0, "\(result.stderr)")
        return path
    }

    static func query(_ path: String, _ sql: String) throws -> [String] {
        let result = try CommandRunner.run(["query", path, sql, "--format", "csv"])
        #expect(result.status == 0, "\(result.stderr)")
        return result.stdout.split(separator: "\r\n").dropFirst().map(String.init)
    }

    @Test func historyPrintsATableCSVJSONAndWritesAnSVG() throws {
        let directory = try TemporaryDirectory()
        let path = try Self.twoSearches(directory)
        let before = try Data(contentsOf: URL(fileURLWithPath: path))
        let evaluated = Int(try Self.query(path, "SELECT count(*) FROM candidates c JOIN searches s ON s.id = c.search_id WHERE s.name = 'paper' AND c.status = 'evaluated'").first ?? "") ?? -1

        let several = try CommandRunner.run(["history", path])
        #expect(several.status == 2)
        #expect(several.stderr.contains("choose with --name NAME or --all") && several.stderrLines.count == 1, "\(several.stderr)")

        let table = try CommandRunner.run(["history", path, "--name", "paper"])
        #expect(table.status == 0, "\(table.stderr)")
        #expect(table.stdout.hasPrefix("search "))
        let csv = try CommandRunner.run(["history", path, "--name", "paper", "--format", "csv"])
        #expect(csv.stdout.hasPrefix("search,evaluation,candidate_id,seq,arch,score,cost,in_window,layer,best_candidate_id,best_score\r\n"))
        #expect(csv.stdout.split(separator: "\r\n").count - 1 == evaluated)
        let json = try CommandRunner.run(["history", path, "--all", "--format", "json"])
        let rows = try #require(try JSONSerialization.jsonObject(with: Data(json.stdout.utf8)) as? [[String: Any]])
        #expect(Set(rows.compactMap { $0["search"] as? String }) == ["paper", "random"])
        // The last best_candidate_id of each search is the answer `best` reports.
        for name in ["paper", "random"] {
            let best = try CommandRunner.run(["best", path, "--name", name, "--format", "json"])
            let answer = try #require(try JSONSerialization.jsonObject(with: Data(best.stdout.utf8)) as? [String: Any])
            let last = rows.last { $0["search"] as? String == name }
            let bestID = answer["candidate_id"] as? Int
            #expect(bestID != nil && last?["best_candidate_id"] as? Int == bestID, "\(best.stdout)")
        }

        let svgPath = directory.path("history.svg")
        let svg = try CommandRunner.run(["history", path, "--all", "--output", svgPath])
        #expect(svg.status == 0 && svg.stdout.isEmpty, "\(svg.stderr)")
        let plot = try SVGInspection(String(contentsOfFile: svgPath, encoding: .utf8))
        #expect(plot.marks("best-line").count == 2)
        #expect(plot.marks("point").count == rows.count)
        #expect(try Data(contentsOf: URL(fileURLWithPath: path)) == before, "a reader never writes the database")
    }

    @Test func historyRefusesAMissingDatabaseAnUnknownExtensionAndTheDatabaseAsOutput() throws {
        let directory = try TemporaryDirectory()
        let missing = directory.path("missing.db")
        let none = try CommandRunner.run(["history", missing])
        #expect(none.status == 2)
        #expect(none.stderr == "error: \(missing): no such database\n")
        #expect(!FileManager.default.fileExists(atPath: missing), "no file is created")
        let path = try Self.twoSearches(directory)
        let before = try Data(contentsOf: URL(fileURLWithPath: path))
        let png = try CommandRunner.run(["history", path, "--all", "--output", directory.path("h.png")])
        #expect(png.status == 2)
        #expect(png.stderr.contains("no format is called 'png'") && png.stderrLines.count == 1)
        #expect(!FileManager.default.fileExists(atPath: directory.path("h.png")))
        let itself = try CommandRunner.run(["history", path, "--all", "--format", "svg", "--output", path])
        #expect(itself.status == 2)
        #expect(itself.stderr.contains("is the database"), "\(itself.stderr)")
        let unknown = try CommandRunner.run(["history", path, "--name", "nope"])
        #expect(unknown.status == 2 && unknown.stderr.contains("nope"))
        #expect(try Data(contentsOf: URL(fileURLWithPath: path)) == before)
    }

    @Test func curvesReadTheStoredEpochs() throws {
        let directory = try TemporaryDirectory()
        let path = try Self.withCurves(directory)
        let ids = try Self.query(path, "SELECT id FROM candidates WHERE status = 'evaluated' ORDER BY id LIMIT 2")
        #expect(ids.count == 2)
        let stored = try Self.query(path, "SELECT candidate_id, epoch, validation_accuracy FROM epochs WHERE candidate_id IN (\(ids.joined(separator: ","))) ORDER BY candidate_id, epoch")
        #expect(stored.count == 6)
        let csv = try CommandRunner.run(["curves", path, "--candidate", ids[0], "--candidate", ids[1], "--format", "csv"])
        #expect(csv.status == 0, "\(csv.stderr)")
        let lines = csv.stdout.split(separator: "\r\n").map(String.init)
        #expect(lines.first == "candidate_id,search,arch,attempt,epoch,train_loss,train_accuracy,validation_accuracy,seconds")
        let read = lines.dropFirst().map { line in
            let fields = line.split(separator: ",", omittingEmptySubsequences: false).map(String.init)
            return "\(fields[0]),\(fields[4]),\(fields[7])"
        }
        #expect(read == stored)
        // Epoch 2 stored no training accuracy: empty, not zero.
        #expect(lines[2].split(separator: ",", omittingEmptySubsequences: false)[6].isEmpty)

        let svgPath = directory.path("curves.svg")
        let svg = try CommandRunner.run(["curves", path, "--candidate", ids[0], "--candidate", ids[1], "--output", svgPath])
        #expect(svg.status == 0, "\(svg.stderr)")
        let plot = try SVGInspection(String(contentsOfFile: svgPath, encoding: .utf8))
        #expect(plot.marks("validation").count == 2)
        #expect(plot.marks("epoch-point").count == 12, "validation and loss dots for 2 × 3 epochs")
    }

    @Test func curvesRefuseAnUnknownCandidateAndOneWithoutEpochs() throws {
        let directory = try TemporaryDirectory()
        let path = try Self.twoSearches(directory)
        let unknown = try CommandRunner.run(["curves", path, "--candidate", "99999"])
        #expect(unknown.status == 2)
        #expect(unknown.stderr == "error: --candidate 99999: \(path) has no candidate with this id\n")
        let first = try #require(try Self.query(path, "SELECT id FROM candidates WHERE status = 'evaluated' LIMIT 1").first)
        let noEpochs = try CommandRunner.run(["curves", path, "--candidate", first])
        #expect(noEpochs.status == 2)
        #expect(noEpochs.stderr.hasPrefix("error: --candidate \(first): candidate \(first) (") && noEpochs.stderr.contains("has no stored epochs"))
        #expect(noEpochs.stderrLines.count == 1)
        let nothing = try CommandRunner.run(["curves", path])
        #expect(nothing.status == 2)
        let notANumber = try CommandRunner.run(["curves", path, "--candidate", "twelve"])
        #expect(notANumber.status == 2 && notANumber.stderr.contains("twelve"))
        let missing = try CommandRunner.run(["curves", directory.path("missing.db"), "--candidate", "1"])
        #expect(missing.status == 2 && missing.stderr.contains("no such database"))
        #expect(!FileManager.default.fileExists(atPath: directory.path("missing.db")))
    }

    @Test func paretoLogXIsForTheSVGOnly() throws {
        let directory = try TemporaryDirectory()
        let path = try Self.twoSearches(directory)
        let csv = try CommandRunner.run(["pareto", path, "--all", "--log-x"])
        #expect(csv.status == 2)
        #expect(csv.stderr.hasPrefix("error: --log-x: applies to the SVG plot only"))
        let svgPath = directory.path("front.svg")
        let svg = try CommandRunner.run(["pareto", path, "--all", "--log-x", "--output", svgPath])
        #expect(svg.status == 0, "\(svg.stderr)")
        let plot = try SVGInspection(String(contentsOfFile: svgPath, encoding: .utf8))
        #expect(plot.texts.contains { $0.hasSuffix("(log scale)") })
        #expect(plot.marks("point").allSatisfy { $0.title != nil })
        #expect(!plot.marks("tick-label").contains { $0.text == "0M" || $0.text == "0k" })
    }
}
