import Foundation
import NASTestSupport
import Testing
@testable import NASQuery

/// The learning-curve SVG draws one validation, training and loss curve per candidate and a
/// tooltip per epoch dot; gaps in the stored values are left out, not drawn as zero.
@Suite struct CurvesPlotTests {
    static func curve(_ id: Int64, epochs: Int, missingLossAt: Int? = nil) -> CandidateCurve {
        CandidateCurve(candidateID: id, search: "s", arch: "a\(id)", score: 0.5, attempt: 1, epochs: (1...epochs).map { epoch in
            CurveEpoch(epoch: epoch, trainLoss: epoch == missingLossAt ? nil : 2 / Double(epoch + Int(id)),
                       trainAccuracy: 0.5 + 0.04 * Double(epoch), validationAccuracy: 0.4 + 0.05 * Double(epoch) + 0.01 * Double(id), seconds: 1)
        })
    }

    @Test func everyCandidateGetsItsCurvesAndEveryEpochATooltip() throws {
        let report = CurvesReport(database: "x.db", curves: [Self.curve(3, epochs: 4), Self.curve(8, epochs: 6, missingLossAt: 2)])
        let plot = try SVGInspection(CurvesPlot.svg(report))
        #expect(plot.marks("validation").count == 2 && plot.marks("train").count == 2 && plot.marks("loss").count == 2)
        let dots = plot.marks("epoch-point")
        // Validation dots for every epoch, loss dots for every epoch that stored a loss.
        #expect(dots.count == (4 + 6) + (4 + 5))
        #expect(dots.allSatisfy { $0.title?.contains("epoch ") == true })
        #expect(Set(plot.marks("validation").map { $0.attributes["stroke"] ?? "" }).count == 2)
        let lossPoints = try #require(plot.marks("loss").last?.attributes["points"])
        #expect(lossPoints.split(separator: " ").count == 5)
        #expect(plot.texts.contains("epoch"))
        #expect(plot.texts.contains("3: a3") && plot.texts.contains("8: a8"))
        // Few epochs: a tick at every epoch.
        let ticks = plot.marks("tick-label").map(\.text)
        #expect(["1", "2", "3", "4", "5", "6"].allSatisfy(ticks.contains))
        #expect(plot.marks("no-data").isEmpty)
    }

    @Test func aCurveWithoutLossesSaysSo() throws {
        var curve = Self.curve(1, epochs: 3)
        for index in curve.epochs.indices { curve.epochs[index].trainLoss = nil }
        let plot = try SVGInspection(CurvesPlot.svg(CurvesReport(database: "x.db", curves: [curve])))
        #expect(plot.marks("loss").isEmpty)
        #expect(plot.marks("no-data").count == 1)
    }
}
