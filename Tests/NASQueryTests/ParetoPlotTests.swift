import Foundation
#if canImport(FoundationXML)
import FoundationXML
#endif
import GRDB
import NASSearch
import NASTestSupport
import Testing
@testable import NASQuery

/// The SVG plot is well-formed standalone XML with the expected parts.
@Suite struct ParetoPlotTests {
    /// Counts elements by name and by class while parsing.
    final class Census: NSObject, XMLParserDelegate {
        var elements: [String: Int] = [:]
        var classes: [String: Int] = [:]
        var texts: [String] = []
        var externalReferences: [String] = []
        var root: String?
        var namespace: String?
        private var text = ""

        func parser(_ parser: XMLParser, didStartElement name: String, namespaceURI: String?, qualifiedName: String?, attributes: [String: String] = [:]) {
            if root == nil {
                root = name
                namespace = attributes["xmlns"]
            }
            elements[name, default: 0] += 1
            for item in (attributes["class"] ?? "").split(separator: " ") { classes[String(item), default: 0] += 1 }
            for (key, value) in attributes where key.hasSuffix("href") || value.contains("http") && key != "xmlns" {
                externalReferences.append("\(key)=\(value)")
            }
            text = ""
        }

        func parser(_ parser: XMLParser, foundCharacters string: String) { text += string }

        func parser(_ parser: XMLParser, didEndElement name: String, namespaceURI: String?, qualifiedName: String?) {
            if name == "text" { texts.append(text) }
        }
    }

    static func parse(_ svg: String) throws -> Census {
        let parser = XMLParser(data: Data(svg.utf8))
        let census = Census()
        parser.delegate = census
        #expect(parser.parse(), "SVG does not parse: \(parser.parserError.map(String.init(describing:)) ?? "")")
        return census
    }

    @Test func plotOfOneSearchHasPointsFrontAxesWindowAndTitle() throws {
        let fixture = try SearchFixture()
        try fixture.run(try SearchFixture.example("fashion-mlp.yaml"), name: "mlp <&> \"test\"", buckets: 5, perBucket: 2, budget: 60)
        let report = try QueryDatabase(path: fixture.path).paretoReport(selection: .only, objectives: nil, source: .evaluated, keepValues: true)
        let census = try Self.parse(ParetoPlot.svg(report))
        #expect(census.root == "svg")
        #expect(census.namespace == "http://www.w3.org/2000/svg")
        #expect(census.externalReferences.isEmpty)
        let considered = report.searches[0].considered
        #expect(census.classes["point"] == considered, "one dot per candidate below the merge limit")
        #expect(census.classes["front-point"] == report.searches[0].front.count)
        #expect(census.classes["front"] == 1)
        #expect(census.classes["window"] == 1)
        #expect(census.classes["title"] == 1)
        #expect(census.classes["axis"] == 2)
        #expect((census.classes["tick"] ?? 0) >= 6)
        #expect(census.classes["legend"] == 1, "the legend names the search and its counts")
        #expect(census.classes["key"] == 1)
        #expect(census.texts.contains { $0.hasPrefix("Pareto front: score vs parameters") && $0.contains("mlp <&> \"test\"") })
        #expect(census.texts.contains { $0.contains("parameters (trainable weights and biases)") })
        #expect(census.texts.contains { $0.contains("score") && $0.contains("higher is better") })
        #expect(census.texts.contains { $0.hasSuffix("k") }, "large tick values use SI suffixes")
    }

    @Test func overlaidSearchesGetALegendAndAFrontEach() throws {
        let fixture = try SearchFixture()
        let space = try SearchFixture.example("burger.yaml")
        try fixture.run(space, name: "layernas")
        try fixture.run(space, name: "random", strategy: .random, seed: 2, budget: 15)
        let report = try QueryDatabase(path: fixture.path).paretoReport(selection: .all, objectives: nil, source: .evaluated, keepValues: true)
        let census = try Self.parse(ParetoPlot.svg(report))
        #expect(census.classes["legend"] == 1)
        #expect(census.classes["front"] == 2)
        #expect(census.texts.contains { $0.hasPrefix("layernas (layernas") })
        #expect(census.texts.contains { $0.hasPrefix("random (random") })
        // Both searches share the window: shaded once.
        #expect(census.classes["window"] == 1)
    }

    @Test func threeObjectivesAndEmptySearchesStillDraw() throws {
        let fixture = try SearchFixture()
        try fixture.run(try SearchFixture.example("fashion-mlp.yaml"), name: "mlp", buckets: 3, perBucket: 1, budget: 20)
        let database = try QueryDatabase(path: fixture.path)
        let three = try database.paretoReport(selection: .only, objectives: try Objective.parseList("score:max,madds:min,params:min"), source: .evaluated, keepValues: true)
        let census = try Self.parse(ParetoPlot.svg(three))
        #expect(census.classes["front"] == nil)
        #expect(census.classes["front-point"] == three.searches[0].front.count)
        var empty = three
        empty.searches[0].values = []
        empty.searches[0].front = []
        _ = try Self.parse(ParetoPlot.svg(empty))
    }

    @Test(arguments: [(0.0, 1.0), (0.61, 0.93), (12_000.0, 870_000.0), (8.0, 12.0), (5.0, 5.0), (-3.0, 250.0), (1e9, 3.5e10)])
    func niceScalesCoverTheRangeWithRoundTicks(low: Double, high: Double) {
        let scale = NiceScale(minimum: low, maximum: high, ticks: 6)
        #expect(scale.lower <= low && scale.upper >= high)
        let ticks = scale.ticks
        #expect((3...12).contains(ticks.count), "\(ticks)")
        let exponent = (log10(scale.step)).rounded(.down)
        let mantissa = (scale.step / pow(10, exponent) * 1000).rounded() / 1000
        #expect([1, 2, 5, 10].contains(mantissa), "step \(scale.step)")
        let labels = ticks.map(scale.label)
        #expect(Set(labels).count == labels.count, "labels must differ: \(labels)")
    }
}

/// What the Pareto plot shows and explains (issue 15, item 10): tooltips, the answer, the key,
/// overlaid searches, the score's name and the log axis, checked on the parsed SVG against the
/// database read with plain SQL.
@Suite struct ParetoPlotMarksTests {
    /// A LayerNAS-paper search of the MLP example: it evaluates candidates outside the window too.
    static func fixture(budget: Int = 60) throws -> SearchFixture {
        let fixture = try SearchFixture()
        try fixture.run(try SearchFixture.example("fashion-mlp.yaml"), name: "mlp", buckets: 4, perBucket: 2, budget: budget)
        return fixture
    }

    @Test func everyDotHasATooltipNamingItsCandidateAndDarkMeansInTheWindow() throws {
        let fixture = try Self.fixture()
        let report = try QueryDatabase(path: fixture.path).paretoReport(selection: .only, objectives: nil, source: .evaluated, keepValues: true)
        let plot = try SVGInspection(try ParetoPlot.svg(report))
        let (evaluated, inWindow) = try fixture.read { db in
            (try Int64.fetchAll(db, sql: "SELECT id FROM candidates WHERE status = 'evaluated'"),
             try Int64.fetchAll(db, sql: "SELECT id FROM candidates WHERE status = 'evaluated' AND in_window = 1"))
        }
        #expect(evaluated.count > inWindow.count && !inWindow.isEmpty, "the fixture must have dots of both kinds")
        let dots = plot.marks("point")
        #expect(dots.count == evaluated.count)
        #expect(dots.allSatisfy { $0.title != nil }, "every dot has a tooltip")
        #expect(Set(dots.compactMap { SVGInspection.candidateID(in: $0.title) }) == Set(evaluated))
        let dark = plot.marks("in-window")
        let light = plot.marks("outside-window")
        #expect(Set(dark.compactMap { SVGInspection.candidateID(in: $0.title) }) == Set(inWindow))
        #expect(dark.count + light.count == dots.count)
        let darkest = light.compactMap { $0.number("fill-opacity") }.max() ?? 1
        #expect(dark.allSatisfy { ($0.number("fill-opacity") ?? 0) > darkest }, "in-window dots are darker")
        #expect(plot.marks("front-point").allSatisfy { $0.title != nil })
        let key = plot.texts.joined(separator: "\n")
        #expect(key.contains("dark dot: candidate in the window") && key.contains("light dot: outside the window"))
    }

    @Test func theAnswerIsTheBestInWindowCandidateByPlainSQL() throws {
        let fixture = try Self.fixture()
        let report = try QueryDatabase(path: fixture.path).paretoReport(selection: .only, objectives: nil, source: .evaluated, keepValues: true)
        let plot = try SVGInspection(try ParetoPlot.svg(report))
        let expected = try fixture.read { db in
            try Int64.fetchOne(db, sql: "SELECT id FROM candidates WHERE status = 'evaluated' AND in_window = 1 ORDER BY score DESC, cost ASC, seq ASC LIMIT 1")
        }
        let answers = plot.marks("answer")
        #expect(answers.count == 1)
        #expect(SVGInspection.candidateID(in: answers.first?.title) == expected)
        #expect(plot.marks("answer-label").count == 1)
    }

    @Test func overlaidFrontsDifferInColourShapeAndDash() throws {
        let fixture = try SearchFixture()
        let space = try SearchFixture.example("fashion-mlp.yaml")
        try fixture.run(space, name: "paper", budget: 40)
        try fixture.run(space, name: "random", strategy: .random, seed: 2, budget: 40)
        let report = try QueryDatabase(path: fixture.path).paretoReport(selection: .all, objectives: nil, source: .evaluated, keepValues: true)
        let plot = try SVGInspection(try ParetoPlot.svg(report))
        let lines = plot.marks("front")
        #expect(lines.count == 2)
        #expect(Set(lines.map { $0.attributes["stroke"] ?? "" }).count == 2, "one colour per search")
        #expect(Set(lines.map { $0.attributes["stroke-dasharray"] ?? "solid" }).count == 2, "one dash per search")
        let markers = plot.marks("front-point")
        #expect(markers.count == report.searches.map(\.front.count).reduce(0, +))
        // Each search's markers share one element shape, and the two searches use different ones.
        let shapes = Dictionary(grouping: markers, by: { $0.attributes["stroke"] ?? "" }).mapValues { Set($0.map(\.name)) }
        #expect(shapes.count == 2 && shapes.values.allSatisfy { $0.count == 1 })
        #expect(Set(shapes.values.compactMap(\.first)).count == 2)
        // Hollow markers: a dot under a front marker stays visible.
        #expect(markers.allSatisfy { ($0.number("fill-opacity") ?? 1) < 1 })
        #expect(plot.marks("answer").count == 2)
        #expect(plot.marks("point").count == report.searches.map(\.considered).reduce(0, +))
    }

    @Test func theScoreAxisIsNamedAfterTheEvaluator() throws {
        let fixture = try Self.fixture(budget: 20)
        let report = try QueryDatabase(path: fixture.path).paretoReport(selection: .only, objectives: nil, source: .evaluated, keepValues: true)
        let label = try #require(try SVGInspection(try ParetoPlot.svg(report)).marks("axis-label").first { $0.attributes["id"] == "y-label" })
        #expect(label.text.contains("synthetic"))
        #expect(!label.text.contains("accuracy"), "a synthetic score is not an accuracy: \(label.text)")
        var summary = report.searches[0].search
        summary.evaluator = "trainer"
        #expect(ScoreLabel.name(for: [summary]).contains("accuracy"))
        summary.evaluator = "command:python3 train.py"
        #expect(!ScoreLabel.name(for: [summary]).contains("accuracy"))
        var other = summary
        other.evaluator = "table:/data/t.csv"
        #expect(ScoreLabel.name(for: [summary, other]) == "score")
    }

    @Test func aLogXAxisPlacesDotsInValueOrderAndRefusesZero() throws {
        let fixture = try Self.fixture(budget: 40)
        let report = try QueryDatabase(path: fixture.path).paretoReport(selection: .only, objectives: nil, source: .evaluated, keepValues: true)
        let plot = try SVGInspection(try ParetoPlot.svg(report, logX: true))
        #expect(plot.texts.contains { $0.contains("(log scale)") })
        // Dot positions must grow with the x value (parameters) the tooltip names.
        let placed = plot.marks("point").compactMap { dot -> (Double, Double)? in
            guard let title = dot.title, let range = title.range(of: "params ") ,
                  let value = Double(title[range.upperBound...].prefix { $0.isNumber || $0 == "." }),
                  let x = dot.number("cx") ?? dot.number("x") else { return nil }
            return (value, x)
        }.sorted { $0.0 < $1.0 }
        #expect(placed.count == report.searches[0].considered)
        #expect(zip(placed, placed.dropFirst()).allSatisfy { $0.1 <= $1.1 + 0.01 })
        // A zero value cannot sit on a log axis: refused, naming the candidate.
        var zero = report
        zero.searches[0].values[1] = 0
        #expect(throws: QueryError.self) { try ParetoPlot.svg(zero, logX: true) }
        do {
            _ = try ParetoPlot.svg(zero, logX: true)
        } catch {
            #expect(error.description.hasPrefix("--log-x: candidate \(report.searches[0].plotted[0].id) "))
        }
    }
}

/// Tick values and labels of the linear and logarithmic scales.
@Suite struct AxisScaleTests {
    @Test(arguments: [(0.0, 2.5e7), (0.0, 300_000.0), (-1e6, 9e6), (0.0, 1.0), (0.0, 4e10)])
    func zeroIsLabelledZeroWithoutSuffix(low: Double, high: Double) {
        let scale = NiceScale(minimum: low, maximum: high)
        #expect(scale.ticks.contains(0))
        #expect(scale.label(0) == "0")
        #expect(!scale.ticks.map(scale.label).contains { $0.hasPrefix("0") && $0.count > 1 && !$0.hasPrefix("0.") })
    }

    @Test(arguments: [(150_000.0, 250_000.0), (3.0, 9e9), (0.02, 0.5), (1.0, 1.0)])
    func logScalesCoverTheRangeWithIncreasingPositions(low: Double, high: Double) {
        let scale = LogScale(minimum: low, maximum: high)
        #expect(scale.lower <= low && scale.upper >= high)
        let ticks = scale.ticks
        #expect(ticks.count >= 2)
        let positions = ticks.map(scale.fraction)
        #expect(zip(positions, positions.dropFirst()).allSatisfy { $0 < $1 }, "\(ticks)")
        #expect(abs(positions.first! - 0) < 1e-9 && abs(positions.last! - 1) < 1e-9)
        let labels = ticks.map(scale.label)
        #expect(Set(labels).count == labels.count, "labels must differ: \(labels)")
        #expect(!scale.fraction(0).isFinite)
    }

    @Test func aLogScaleWithinOneDecadeEndsOnOneTwoOrFiveTimesAPowerOfTen() {
        let scale = LogScale(minimum: 150_000, maximum: 250_000)
        #expect(scale.lower == 100_000 && scale.upper == 500_000)
        #expect(scale.ticks.map(scale.label) == ["100k", "200k", "500k"])
    }
}
