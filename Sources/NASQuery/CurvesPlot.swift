import Foundation

/// Draws a `CurvesReport` as a standalone SVG document: the stored per-epoch learning curves of
/// a few candidates, to compare how they trained.
///
/// The upper panel shows accuracy per epoch (validation solid with a dot per epoch, training
/// dashed), the lower one the training loss; both share the epoch axis. Each candidate has its
/// own colour, named in a legend right of the plot with its architecture and final score. Every
/// dot has a tooltip. docs/ARCHITECTURE.md#plots.
///
/// Element classes, for tests and styling: `title`, `axis`, `tick`, `axis-label`, `curve` (with
/// `validation`, `train` or `loss`), `epoch-point`, `key`, `legend`, `no-data`.
package enum CurvesPlot {
    static let (width, height) = (1060.0, 720.0)
    static let (left, right) = (100.0, 330.0)
    /// The accuracy panel on top and the loss panel below it, as (top, height).
    static let accuracyPanel = (70.0, 300.0)
    static let lossPanel = (450.0, 190.0)
    static let palette = ["#1f77b4", "#d62728", "#2ca02c", "#ff7f0e", "#9467bd", "#8c564b", "#e377c2", "#17becf"]

    /// The SVG document of `report`.
    package static func svg(_ report: CurvesReport) -> String {
        let curves = report.curves
        let lastEpoch = curves.flatMap { $0.epochs.map(\.epoch) }.max() ?? 1
        var epochScale = NiceScale(minimum: 0, maximum: Double(max(lastEpoch, 1)), ticks: 8)
        // A short training gets a tick at every epoch, not at 0, 2, 4 for three epochs.
        if lastEpoch <= 12 { (epochScale.lower, epochScale.upper, epochScale.step) = (0, Double(max(lastEpoch, 1)), 1) }
        let accuracies = curves.flatMap { $0.epochs.flatMap { [$0.validationAccuracy, $0.trainAccuracy] } }.compactMap { $0 }.filter(\.isFinite)
        let losses = curves.flatMap { $0.epochs.map(\.trainLoss) }.compactMap { $0 }.filter(\.isFinite)
        func frame(_ panel: (Double, Double), _ values: [Double]) -> PlotFrame {
            let range = ParetoPlot.padded(values)
            return PlotFrame(left: left, top: panel.0, width: width - left - right, height: panel.1,
                             x: epochScale, y: NiceScale(minimum: range.lowerBound, maximum: range.upperBound, ticks: 6))
        }
        let accuracyFrame = frame(accuracyPanel, accuracies)
        let lossFrame = frame(lossPanel, losses)

        var svg = SVGMarkup.header(width: width, height: height)
        let subject = curves.count == 1 ? "candidate \(curves[0].candidateID)" : "\(curves.count) candidates"
        let epochCount = curves.map(\.epochs.count).reduce(0, +)
        svg += SVGMarkup.heading("Learning curves (\(subject))", subtitle: "\(epochCount) stored epochs; accuracy above, training loss below", width: width)
        svg += accuracyFrame.axes(xLabel: "epoch", yLabel: "accuracy, higher is better", idPrefix: "accuracy-")
        svg += lossFrame.axes(xLabel: "epoch", yLabel: "training loss, lower is better", idPrefix: "loss-")
        if accuracies.isEmpty { svg += noData(accuracyFrame, "no accuracy stored for these epochs") }
        if losses.isEmpty { svg += noData(lossFrame, "no training loss stored for these epochs") }

        for (number, curve) in curves.enumerated() {
            let color = palette[number % palette.count]
            let name = "candidate \(curve.candidateID) (\(curve.arch))"
            svg += line(curve, \.validationAccuracy, in: accuracyFrame, color: color, kind: "validation", dash: "", dots: true, name: name, what: "validation accuracy")
            svg += line(curve, \.trainAccuracy, in: accuracyFrame, color: color, kind: "train", dash: "6 4", dots: false, name: name, what: "training accuracy")
            svg += line(curve, \.trainLoss, in: lossFrame, color: color, kind: "loss", dash: "", dots: true, name: name, what: "training loss")
        }
        svg += accuracyFrame.frame() + lossFrame.frame()
        svg += panel(curves, x: accuracyFrame.right + 20, y: accuracyFrame.top)
        return svg + "</svg>\n"
    }

    /// One curve as a polyline through the epochs that have the value, and (with `dots`) a dot
    /// with a tooltip per epoch.
    static func line(
        _ curve: CandidateCurve, _ value: KeyPath<CurveEpoch, Double?>, in frame: PlotFrame,
        color: String, kind: String, dash: String, dots: Bool, name: String, what: String
    ) -> String {
        let f = SVGMarkup.f
        let points = curve.epochs.compactMap { epoch in epoch[keyPath: value].flatMap { $0.isFinite ? (epoch, $0) : nil } }
        guard !points.isEmpty else { return "" }
        let coordinates = points.map { "\(f(frame.px(Double($0.0.epoch)))),\(f(frame.py($0.1)))" }.joined(separator: " ")
        let dashAttribute = dash.isEmpty ? "" : " stroke-dasharray=\"\(dash)\""
        var svg = "<polyline class=\"curve \(kind)\" points=\"\(coordinates)\" fill=\"none\" stroke=\"\(color)\" stroke-width=\"2\"\(dashAttribute)><title>\(SVGMarkup.escape("\(what) of \(name)"))</title></polyline>\n"
        if dots {
            for (epoch, number) in points {
                let tip = "\(name): epoch \(epoch.epoch), \(what) \(SVGMarkup.value(number))"
                svg += "<circle class=\"epoch-point\" cx=\"\(f(frame.px(Double(epoch.epoch))))\" cy=\"\(f(frame.py(number)))\" r=\"3.5\" fill=\"\(color)\"><title>\(SVGMarkup.escape(tip))</title></circle>\n"
            }
        }
        return svg
    }

    /// A note in the middle of a panel that has nothing to show.
    static func noData(_ frame: PlotFrame, _ text: String) -> String {
        let f = SVGMarkup.f
        return "<text class=\"no-data\" x=\"\(f(frame.left + frame.width / 2))\" y=\"\(f(frame.top + frame.height / 2))\" text-anchor=\"middle\" fill=\"#777777\">\(SVGMarkup.escape(text))</text>\n"
    }

    /// The key to the line styles and the legend of candidates.
    static func panel(_ curves: [CandidateCurve], x: Double, y: Double) -> String {
        let f = SVGMarkup.f
        let grey = "#555555"
        var svg = "<g class=\"key\" id=\"key\">\n<text x=\"\(f(x))\" y=\"\(f(y + 4))\" font-weight=\"bold\">Key</text>\n"
        svg += "<line x1=\"\(f(x))\" y1=\"\(f(y + 24))\" x2=\"\(f(x + 22))\" y2=\"\(f(y + 24))\" stroke=\"\(grey)\" stroke-width=\"2\"/><text x=\"\(f(x + 30))\" y=\"\(f(y + 28))\" font-size=\"12\">validation accuracy (solid)</text>\n"
        svg += "<line x1=\"\(f(x))\" y1=\"\(f(y + 44))\" x2=\"\(f(x + 22))\" y2=\"\(f(y + 44))\" stroke=\"\(grey)\" stroke-width=\"2\" stroke-dasharray=\"6 4\"/><text x=\"\(f(x + 30))\" y=\"\(f(y + 48))\" font-size=\"12\">training accuracy (dashed)</text>\n"
        svg += "</g>\n<g class=\"legend\" id=\"legend\">\n<text x=\"\(f(x))\" y=\"\(f(y + 82))\" font-weight=\"bold\">Candidates</text>\n"
        var rowY = y + 104
        for (number, curve) in curves.enumerated() {
            let color = palette[number % palette.count]
            let score = curve.score.map { ", score \(SVGMarkup.value($0))" } ?? ""
            svg += "<rect x=\"\(f(x + 4))\" y=\"\(f(rowY - 6))\" width=\"14\" height=\"12\" fill=\"\(color)\"/>"
            svg += "<text x=\"\(f(x + 30))\" y=\"\(f(rowY + 4))\" font-size=\"12\">\(SVGMarkup.escape("\(curve.candidateID): \(curve.arch)"))</text>\n"
            svg += "<text x=\"\(f(x + 30))\" y=\"\(f(rowY + 19))\" font-size=\"11\" fill=\"#555555\">\(SVGMarkup.escape("\(curve.search)\(score)"))</text>\n"
            rowY += 38
        }
        return svg + "</g>\n"
    }
}
