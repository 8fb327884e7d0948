import Foundation
#if canImport(FoundationXML)
import FoundationXML
#endif
import NASSearch
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
        #expect((census.classes["point"] ?? 0) > considered / 2 && (census.classes["point"] ?? 0) <= considered)
        #expect(census.classes["front-point"] == report.searches[0].front.count)
        #expect(census.classes["front"] == 1)
        #expect(census.classes["window"] == 1)
        #expect(census.classes["title"] == 1)
        #expect(census.classes["axis"] == 2)
        #expect((census.classes["tick"] ?? 0) >= 6)
        #expect(census.classes["legend"] == nil)
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
