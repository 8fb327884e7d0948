import Foundation
import NASSpace

/// Draws a `HistoryReport` as a standalone SVG document: how a search found its answer.
///
/// The x axis counts evaluations in generation order, the y axis is the score. Every evaluation
/// is a dot with a tooltip, coloured by the layer that generated it, filled when its cost is in
/// the target window and hollow when not. A step line per search follows the best in-window
/// score so far; a dashed vertical line marks each budget, a star the answer. A panel right of
/// the plot holds the key and, for several searches (`--all`), a legend: searches differ in
/// line colour, line dash and dot shape. docs/ARCHITECTURE.md#plots.
///
/// Element classes, for tests and styling: `title`, `axis`, `tick`, `axis-label`, `point` (with
/// `in-window` or `outside-window`), `best-line`, `budget`, `answer`, `key`, `legend`.
package enum HistoryPlot {
    /// Size of the drawing, in SVG units.
    static let (width, height) = (1060.0, 620.0)
    /// Margins: title on top, labels left and below, the key and legend on the right.
    static let (left, right, top, bottom) = (100.0, 290.0, 70.0, 80.0)
    /// Dot colours by generating layer (layer 1 first); baseline candidates have no layer.
    static let layerPalette = ["#1f77b4", "#ff7f0e", "#2ca02c", "#9467bd", "#8c564b", "#e377c2", "#17becf", "#bcbd22"]
    static let noLayerColor = "#7f7f7f"
    /// Best-so-far line colours by search: dark, to stand out from the dots.
    static let lineColors = ["#222222", "#d62728", "#1a5e9a", "#6a3d9a", "#b15928"]

    /// The SVG document of `report`.
    package static func svg(_ report: HistoryReport) -> String {
        let searches = report.searches
        let f = SVGMarkup.f
        let evaluations = searches.map(\.points.count).max() ?? 0
        let budgets = searches.compactMap(\.search.budget)
        let xMaximum = Double(max(evaluations, budgets.max() ?? 0, 1))
        let scores = searches.flatMap { $0.points.map(\.score) }.filter(\.isFinite)
        let yRange = ParetoPlot.padded(scores)
        let plot = PlotFrame(
            left: left, top: top, width: width - left - right, height: height - top - bottom,
            x: NiceScale(minimum: 0, maximum: xMaximum * 1.02, ticks: 7),
            y: NiceScale(minimum: yRange.lowerBound, maximum: yRange.upperBound, ticks: 6))

        var svg = SVGMarkup.header(width: width, height: height)
        svg += plot.clipPath(id: "plot-area")
        let subject = searches.count == 1 ? "search \(searches[0].search.name)" : "\(searches.count) searches"
        let total = searches.map(\.points.count).reduce(0, +)
        let inWindow = searches.map { $0.points.filter(\.inWindow).count }.reduce(0, +)
        svg += SVGMarkup.heading(
            "Search history: best in-window score over evaluations (\(subject))",
            subtitle: "\(total) evaluations, \(inWindow) in the target window; evaluations in generation order",
            width: width)
        let scoreName = ScoreLabel.name(for: searches.map(\.search))
        svg += plot.axes(xLabel: "evaluations (in generation order)", yLabel: "\(scoreName), higher is better")

        svg += "<g clip-path=\"url(#plot-area)\">\n"
        // Budgets first (behind everything), each distinct one once.
        var drawnBudgets = Set<Int>()
        for (number, history) in searches.enumerated() {
            guard let budget = history.search.budget, drawnBudgets.insert(budget).inserted else { continue }
            let x = plot.px(Double(budget))
            svg += "<line class=\"budget\" x1=\"\(f(x))\" y1=\"\(f(plot.top))\" x2=\"\(f(x))\" y2=\"\(f(plot.bottom))\" stroke=\"\(lineColor(number))\" stroke-width=\"1.5\" stroke-dasharray=\"5 4\"><title>\(SVGMarkup.escape("budget of \(history.search.name): \(budget) evaluations"))</title></line>\n"
            svg += "<text class=\"budget-label\" x=\"\(f(x - 4))\" y=\"\(f(plot.top + 14 + Double(drawnBudgets.count - 1) * 14))\" text-anchor=\"end\" font-size=\"11\" fill=\"#333333\">\(SVGMarkup.escape("budget \(budget)"))</text>\n"
        }
        // Dots, last search first so the first stays on top.
        for number in searches.indices.reversed() {
            let history = searches[number]
            let shape = MarkerShape.forSearch(number)
            svg += "<g class=\"points\">\n"
            for point in history.points where point.score.isFinite {
                let color = layerColor(point.layer)
                let kind = point.inWindow ? "in-window" : "outside-window"
                let paint = point.inWindow
                    ? "fill=\"\(color)\" fill-opacity=\"0.85\" stroke=\"none\""
                    : "fill=\"#ffffff\" fill-opacity=\"0.6\" stroke=\"\(color)\" stroke-width=\"1.3\""
                svg += shape.element(x: plot.px(Double(point.evaluation)), y: plot.py(point.score), r: 3.2,
                                     attributes: "class=\"point \(kind)\" \(paint)",
                                     content: "<title>\(SVGMarkup.escape(tooltip(point, search: history.search.name)))</title>") + "\n"
            }
            svg += "</g>\n"
        }
        // Best-so-far lines: a step from each improvement to the next, on to the last evaluation.
        for number in searches.indices.reversed() {
            let points = searches[number].points
            guard let first = points.firstIndex(where: { $0.bestScore != nil }), let last = points.last else { continue }
            var path = "M\(f(plot.px(Double(points[first].evaluation)))) \(f(plot.py(points[first].bestScore ?? 0)))"
            var current = points[first].bestScore
            for point in points[(first + 1)...] where point.bestScore != current {
                current = point.bestScore
                path += " H\(f(plot.px(Double(point.evaluation)))) V\(f(plot.py(current ?? 0)))"
            }
            path += " H\(f(plot.px(Double(last.evaluation))))"
            let dash = SearchLegend.dashes[number % SearchLegend.dashes.count]
            let dashAttribute = dash.isEmpty ? "" : " stroke-dasharray=\"\(dash)\""
            svg += "<path class=\"best-line\" d=\"\(path)\" fill=\"none\" stroke=\"\(lineColor(number))\" stroke-width=\"2.2\"\(dashAttribute)><title>\(SVGMarkup.escape("best in-window score so far of \(searches[number].search.name)"))</title></path>\n"
        }
        // Answers on top.
        for number in searches.indices.reversed() {
            guard let answer = searches[number].answer else { continue }
            let x = plot.px(Double(answer.evaluation))
            let y = plot.py(answer.score)
            let tip = "answer of \(searches[number].search.name) (best score in the target window): " + tooltip(answer, search: searches[number].search.name)
            svg += MarkerShape.star(x: x, y: y, r: 10, attributes: "class=\"answer\" fill=\"#ffd400\" stroke=\"\(lineColor(number))\" stroke-width=\"1.8\"",
                                    content: "<title>\(SVGMarkup.escape(tip))</title>") + "\n"
            let label = (searches.count == 1 ? "answer: " : "answer of \(searches[number].search.name): ") + "\(answer.arch) \(SVGMarkup.value(answer.score))"
            let anchor = x > plot.left + plot.width * 0.6 ? "end" : "start"
            let labelX = anchor == "end" ? x - 13 : x + 13
            // Several answers often sit close together: each search's label on its own line.
            svg += "<text class=\"answer-label\" x=\"\(f(labelX))\" y=\"\(f(y - 10 - Double(number) * 15))\" text-anchor=\"\(anchor)\" font-size=\"12\" font-weight=\"bold\" fill=\"#333333\">\(SVGMarkup.escape(label))</text>\n"
        }
        svg += "</g>\n"
        svg += plot.frame()
        svg += panel(searches, x: plot.right + 20, y: plot.top)
        return svg + "</svg>\n"
    }

    static func layerColor(_ layer: Int64?) -> String {
        guard let layer, layer >= 1 else { return noLayerColor }
        return layerPalette[Int(layer - 1) % layerPalette.count]
    }

    static func lineColor(_ number: Int) -> String { lineColors[number % lineColors.count] }

    /// A dot's tooltip: which evaluation, which candidate, where it came from and how it did.
    static func tooltip(_ point: HistoryPoint, search: String) -> String {
        let layer = point.layer.map { "layer \($0)" } ?? "no layer (initial or baseline)"
        let window = point.inWindow ? "in the target window" : "outside the target window"
        let best = point.bestScore.map { "; best in window so far \(SVGMarkup.value($0))" } ?? "; none in the window yet"
        return "\(search) evaluation \(point.evaluation): \(point.arch) (candidate \(point.candidateID)), generated at \(layer), score \(SVGMarkup.value(point.score)), cost \(CostFormat.string(point.cost)), \(window)\(best)"
    }

    /// The key (filled/hollow, layer colours, line, star, budget) and the legend of searches.
    static func panel(_ searches: [SearchHistory], x: Double, y: Double) -> String {
        let f = SVGMarkup.f
        let rowHeight = 20.0
        var rowY = y + 24
        var svg = "<g class=\"key\" id=\"key\">\n<text x=\"\(f(x))\" y=\"\(f(y + 4))\" font-weight=\"bold\">Key</text>\n"
        func row(_ mark: String, _ text: String) {
            svg += mark + "<text x=\"\(f(x + 30))\" y=\"\(f(rowY + 4))\" font-size=\"12\">\(SVGMarkup.escape(text))</text>\n"
            rowY += rowHeight
        }
        let grey = "#555555"
        row("<circle cx=\"\(f(x + 11))\" cy=\"\(f(rowY))\" r=\"4\" fill=\"\(grey)\"/>", "filled dot: cost in the window")
        row("<circle cx=\"\(f(x + 11))\" cy=\"\(f(rowY))\" r=\"4\" fill=\"#ffffff\" stroke=\"\(grey)\" stroke-width=\"1.3\"/>", "hollow dot: outside the window")
        let layers = Set(searches.flatMap { $0.points.map(\.layer) })
        for layer in layers.compactMap({ $0 }).sorted() {
            row("<rect x=\"\(f(x + 5))\" y=\"\(f(rowY - 6))\" width=\"12\" height=\"12\" fill=\"\(layerColor(layer))\"/>", "generated at layer \(layer)")
        }
        if layers.contains(nil) {
            row("<rect x=\"\(f(x + 5))\" y=\"\(f(rowY - 6))\" width=\"12\" height=\"12\" fill=\"\(noLayerColor)\"/>", "no layer (initial or baseline)")
        }
        row("<line x1=\"\(f(x))\" y1=\"\(f(rowY))\" x2=\"\(f(x + 22))\" y2=\"\(f(rowY))\" stroke=\"\(lineColor(0))\" stroke-width=\"2.2\"/>", "best in-window score so far")
        row(MarkerShape.star(x: x + 11, y: rowY, r: 9, attributes: "fill=\"#ffd400\" stroke=\"\(grey)\" stroke-width=\"1.5\""), "answer: best in the window")
        row("<line x1=\"\(f(x + 11))\" y1=\"\(f(rowY - 8))\" x2=\"\(f(x + 11))\" y2=\"\(f(rowY + 8))\" stroke=\"\(grey)\" stroke-width=\"1.5\" stroke-dasharray=\"5 4\"/>", "budget (evaluations)")
        svg += "</g>\n"

        rowY += 14
        let entries = searches.enumerated().map { number, history in
            SearchLegend.Entry(
                lineColor: lineColor(number), lineWidth: 2.2,
                markerAttributes: "fill=\"#ffffff\" stroke=\"\(grey)\" stroke-width=\"1.3\"", markerRadius: 4,
                text: "\(history.search.name) (\(history.search.strategy.rawValue)): \(history.points.count) / \(history.search.budget.map(String.init) ?? "no budget")")
        }
        return svg + SearchLegend.svg(x: x, y: &rowY, caption: "name (strategy): evaluated / budget", entries: entries, rowHeight: rowHeight)
    }
}
