import Foundation
import NASSpace

/// Draws a `ParetoReport` as a standalone SVG document (no external resources), for a browser.
///
/// Every considered candidate is a small dot with a tooltip (dark inside the target window,
/// light outside it), the front of each search is a step line through its members (each a
/// larger hollow marker with a tooltip), the answer of each search is a star, the target window
/// is shaded, both axes have nice tick values (linear, or logarithmic x with `logX`) and a label
/// with the unit, and a panel right of the plot holds a key to these marks and a legend of the
/// searches. Searches differ in colour, marker shape and line dash, so overlaid fronts stay
/// apart. The y axis shows the score objective when there is one, the x axis the first other
/// objective. Above `mergeAbove` candidates, dots that fall on the same half pixel are drawn once
/// (their tooltip counts the others), so a million candidates still give a file a browser opens.
/// docs/ARCHITECTURE.md#plots.
///
/// Element classes, for tests and styling: `title`, `axis`, `tick`, `axis-label`, `window`,
/// `point` (with `in-window` or `outside-window`), `front`, `front-point`, `answer`, `key`, `legend`.
package enum ParetoPlot {
    /// Size of the drawing, in SVG units.
    static let (width, height) = (1060.0, 640.0)
    /// Margins around the plot area: title on top, tick and axis labels left and below, the key
    /// and legend panel on the right (outside the data, so it hides nothing).
    static let (left, right, top, bottom) = (100.0, 290.0, 70.0, 80.0)
    static let palette = ["#1f77b4", "#d62728", "#2ca02c", "#ff7f0e", "#9467bd", "#8c564b", "#e377c2", "#17becf"]
    /// Line dash of the `index`-th search's front: solid, dashed, dotted, dash-dot, ...
    /// Candidates per plot above which coincident dots are merged.
    static let mergeAbove = 20_000

    /// The SVG document of `report` (whose searches must carry their `values` and `plotted`).
    /// - Throws: `QueryError.badRequest` for `logX` when a candidate's x value is not positive.
    package static func svg(_ report: ParetoReport, logX: Bool = false) throws(QueryError) -> String {
        let objectives = report.objectives
        let yAxis = objectives.firstIndex { $0.metric == .score } ?? 0
        let xAxis = objectives.indices.first { $0 != yAxis } ?? 1
        let dimensions = objectives.count
        let searches = report.searches
        let xName = axisName(objectives[xAxis], searches)

        // Domains: every considered value, and the target windows on either axis.
        var xs: [Double] = []
        var ys: [Double] = []
        for front in searches {
            for index in stride(from: 0, to: front.values.count, by: dimensions) {
                xs.append(front.values[index + xAxis])
                ys.append(front.values[index + yAxis])
            }
        }
        let windows = Self.windows(searches, objective: objectives[xAxis])
        let windowEnds = windows.flatMap { [$0.min, $0.max] }.filter(\.isFinite)
        let xScale: any AxisScale
        if logX {
            if let index = xs.firstIndex(where: { !($0 > 0) }) {
                let (search, candidate) = owner(ofValue: index, in: searches, dimensions: dimensions)
                throw QueryError.badRequest("--log-x: candidate \(candidate.id) (\(candidate.arch)) of search '\(search)' has \(xName) \(SVGMarkup.value(xs[index])); a log axis shows only positive values")
            }
            // A window from 0 starts at the left end of a log axis.
            let positive = xs + windowEnds.filter { $0 > 0 }
            xScale = LogScale(minimum: positive.min() ?? 1, maximum: positive.max() ?? 10)
        } else {
            let xRange = padded(xs.filter(\.isFinite) + windowEnds)
            xScale = NiceScale(minimum: xRange.lowerBound, maximum: xRange.upperBound, ticks: 7)
        }
        let yRange = padded(ys.filter(\.isFinite))
        let yScale = NiceScale(minimum: yRange.lowerBound, maximum: yRange.upperBound, ticks: 6)
        let plot = PlotFrame(left: left, top: top, width: width - left - right, height: height - top - bottom, x: xScale, y: yScale)
        let f = SVGMarkup.f

        var svg = SVGMarkup.header(width: width, height: height)
        svg += plot.clipPath(id: "plot-area")

        // Title.
        let names = searches.map(\.search.name)
        let evaluatedCount = searches.map(\.considered).reduce(0, +)
        let frontCount = searches.map(\.front.count).reduce(0, +)
        let subject = names.count == 1 ? "search \(names[0])" : "\(names.count) searches"
        let title = "Pareto front: \(axisName(objectives[yAxis], searches)) vs \(xName) (\(subject))"
        let sourceText = report.source == .evaluated ? "evaluated candidates" : "final-layer store members"
        var subtitle = "\(evaluatedCount) \(sourceText), \(frontCount) on the front; objectives \(objectives.map(\.description).joined(separator: ", "))"
        if dimensions > 2 { subtitle += " (front over all objectives, shown in two)" }
        svg += SVGMarkup.heading(title, subtitle: subtitle, width: width)

        // Target windows.
        for window in windows {
            let low = plot.px(window.min).isFinite ? plot.clampX(plot.px(window.min)) : plot.left
            let high = plot.clampX(plot.px(window.max))
            guard high >= low else { continue }
            svg += "<rect class=\"window\" x=\"\(f(low))\" y=\"\(f(plot.top))\" width=\"\(f(max(high - low, 1)))\" height=\"\(f(plot.height))\" fill=\"#f2c14e\" fill-opacity=\"0.22\" stroke=\"#d9a420\" stroke-opacity=\"0.6\"><title>\(SVGMarkup.escape(window.label))</title></rect>\n"
            svg += "<text class=\"window-label\" x=\"\(f((low + high) / 2))\" y=\"\(f(plot.top + 14))\" text-anchor=\"middle\" fill=\"#8a6d12\" font-size=\"11\">target window</text>\n"
        }

        var xLabel = axisLabel(objectives[xAxis], searches)
        if logX { xLabel += " (log scale)" }
        svg += plot.axes(xLabel: xLabel, yLabel: axisLabel(objectives[yAxis], searches))

        // Candidates first, then every front line, then the front markers and answers on top.
        // Searches are drawn last-first, so the first named search stays on top where marks meet.
        svg += "<g clip-path=\"url(#plot-area)\">\n"
        let merge = evaluatedCount > mergeAbove
        for number in searches.indices.reversed() {
            svg += dots(of: searches[number], number: number, plot: plot, xAxis: xAxis, yAxis: yAxis, objectives: objectives, merge: merge)
        }
        let members = searches.map { front in
            front.front
                .filter { plot.px($0.values[xAxis]).isFinite && $0.values[yAxis].isFinite }
                .sorted { ($0.values[xAxis], $0.values[yAxis], $0.candidateID) < ($1.values[xAxis], $1.values[yAxis], $1.candidateID) }
        }
        for number in searches.indices.reversed() where dimensions == 2 {
            guard let first = members[number].first else { continue }
            let horizontalFirst = objectives[xAxis].direction == .min
            var path = horizontalFirst
                ? "M\(f(plot.px(first.values[xAxis]))) \(f(plot.py(first.values[yAxis])))"
                : "M\(f(plot.left)) \(f(plot.py(first.values[yAxis]))) H\(f(plot.px(first.values[xAxis])))"
            for member in members[number].dropFirst() {
                let x = f(plot.px(member.values[xAxis]))
                let y = f(plot.py(member.values[yAxis]))
                path += horizontalFirst ? " H\(x) V\(y)" : " V\(y) H\(x)"
            }
            if horizontalFirst { path += " H\(f(plot.right))" }
            let dash = SearchLegend.dashes[number % SearchLegend.dashes.count]
            let dashAttribute = dash.isEmpty ? "" : " stroke-dasharray=\"\(dash)\""
            svg += "<path class=\"front\" d=\"\(path)\" fill=\"none\" stroke=\"\(color(number))\" stroke-width=\"2\"\(dashAttribute)/>\n"
        }
        for number in searches.indices.reversed() {
            let shape = MarkerShape.forSearch(number)
            for member in members[number] {
                let tip = "on the front — " + tooltip(member, objectives: objectives)
                svg += shape.element(
                    x: plot.px(member.values[xAxis]), y: plot.py(member.values[yAxis]), r: 5.5,
                    attributes: "class=\"front-point\" fill=\"#ffffff\" fill-opacity=\"0.6\" stroke=\"\(color(number))\" stroke-width=\"2\"",
                    content: "<title>\(SVGMarkup.escape(tip))</title>") + "\n"
            }
        }
        for number in searches.indices.reversed() {
            guard let answer = searches[number].answer else { continue }
            let x = plot.px(answer.values[xAxis])
            let y = plot.py(answer.values[yAxis])
            guard x.isFinite, y.isFinite, answer.values[yAxis].isFinite else { continue }
            let tip = "answer (best score in the target window) — " + tooltip(answer, objectives: objectives)
            svg += MarkerShape.star(x: x, y: y, r: 10, attributes: "class=\"answer\" fill=\"#ffd400\" stroke=\"\(color(number))\" stroke-width=\"1.8\"",
                                    content: "<title>\(SVGMarkup.escape(tip))</title>") + "\n"
            let label = searches.count == 1 ? "answer" : "answer of \(answer.search)"
            // Several answers often sit close together: each search's label on its own line.
            svg += "<text class=\"answer-label\" x=\"\(f(x + 13))\" y=\"\(f(y - 8 - Double(number) * 15))\" font-size=\"12\" font-weight=\"bold\" fill=\"#333333\">\(SVGMarkup.escape(label))</text>\n"
        }
        svg += "</g>\n"
        svg += plot.frame()
        svg += panel(searches, x: plot.right + 20, y: plot.top)
        svg += "</svg>\n"
        return svg
    }

    /// The colour of the `number`-th search.
    static func color(_ number: Int) -> String { palette[number % palette.count] }

    /// Every considered candidate of one search as a small dot with a tooltip: dark in the
    /// window, light outside it. With `merge`, dots on the same half pixel become one whose
    /// tooltip says how many it stands for.
    static func dots(
        of front: SearchFront, number: Int, plot: PlotFrame, xAxis: Int, yAxis: Int, objectives: [Objective], merge: Bool
    ) -> String {
        struct Dot { var x, y: Double; var index: Int; var count: Int }
        let dimensions = objectives.count
        var dots: [Dot] = []
        var slots: [Int64: Int] = [:]
        for (position, index) in stride(from: 0, to: front.values.count, by: dimensions).enumerated() {
            let x = plot.px(front.values[index + xAxis])
            let y = plot.py(front.values[index + yAxis])
            guard x.isFinite, y.isFinite else { continue }
            let inWindow = position < front.plotted.count && front.plotted[position].inWindow
            if merge {
                let key = Int64((x * 2).rounded()) << 32 | Int64((y * 2).rounded()) << 1 | (inWindow ? 1 : 0)
                if let slot = slots[key] {
                    dots[slot].count += 1
                    continue
                }
                slots[key] = dots.count
            }
            dots.append(Dot(x: x, y: y, index: position, count: 1))
        }
        let shape = MarkerShape.forSearch(number)
        var svg = "<g class=\"points\" fill=\"\(color(number))\">\n"
        for dot in dots {
            let base = dot.index * dimensions
            let values = Array(front.values[base..<(base + dimensions)])
            let candidate = dot.index < front.plotted.count ? front.plotted[dot.index] : PlotCandidate(id: 0, arch: "?", inWindow: false)
            var tip = "\(front.search.name): \(candidate.arch) (candidate \(candidate.id)), "
                + objectives.enumerated().map { "\($0.element.metric.rawValue) \(SVGMarkup.value(values[$0.offset]))" }.joined(separator: ", ")
                + (candidate.inWindow ? ", in the target window" : ", outside the target window")
            if dot.count > 1 { tip += " (and \(dot.count - 1) more candidates on this spot)" }
            let kind = candidate.inWindow ? "in-window" : "outside-window"
            let opacity = candidate.inWindow ? "0.75" : "0.22"
            svg += shape.element(x: dot.x, y: dot.y, r: 2.8, attributes: "class=\"point \(kind)\" fill-opacity=\"\(opacity)\"",
                                 content: "<title>\(SVGMarkup.escape(tip))</title>") + "\n"
        }
        return svg + "</g>\n"
    }

    /// The text of a front member's or answer's tooltip.
    static func tooltip(_ point: ParetoPoint, objectives: [Objective]) -> String {
        "\(point.search): \(point.arch) (candidate \(point.candidateID)), "
            + objectives.enumerated().map { "\($0.element.metric.rawValue) \(SVGMarkup.value(point.values[$0.offset]))" }.joined(separator: ", ")
    }

    /// The search and candidate of the `index`-th considered value over all searches.
    static func owner(ofValue index: Int, in searches: [SearchFront], dimensions: Int) -> (String, PlotCandidate) {
        var rest = index
        for front in searches {
            let count = front.values.count / dimensions
            if rest < count {
                return (front.search.name, rest < front.plotted.count ? front.plotted[rest] : PlotCandidate(id: 0, arch: "?", inWindow: false))
            }
            rest -= count
        }
        return ("?", PlotCandidate(id: 0, arch: "?", inWindow: false))
    }

    /// The panel right of the plot: a key to the marks, then the searches (colour, shape, dash,
    /// front size and candidates).
    static func panel(_ searches: [SearchFront], x: Double, y: Double) -> String {
        let f = SVGMarkup.f
        let rowHeight = 20.0
        var svg = "<g class=\"key\" id=\"key\">\n"
        svg += "<text x=\"\(f(x))\" y=\"\(f(y + 4))\" font-weight=\"bold\">Key</text>\n"
        var rowY = y + 24
        func row(_ mark: String, _ text: String) {
            svg += mark + "<text x=\"\(f(x + 30))\" y=\"\(f(rowY + 4))\" font-size=\"12\">\(SVGMarkup.escape(text))</text>\n"
            rowY += rowHeight
        }
        let keyColor = "#555555"
        row("<circle cx=\"\(f(x + 11))\" cy=\"\(f(rowY))\" r=\"3.5\" fill=\"\(keyColor)\" fill-opacity=\"0.75\"/>", "dark dot: candidate in the window")
        row("<circle cx=\"\(f(x + 11))\" cy=\"\(f(rowY))\" r=\"3.5\" fill=\"\(keyColor)\" fill-opacity=\"0.22\"/>", "light dot: outside the window")
        row("<line x1=\"\(f(x))\" y1=\"\(f(rowY))\" x2=\"\(f(x + 22))\" y2=\"\(f(rowY))\" stroke=\"\(keyColor)\" stroke-width=\"2\"/><circle cx=\"\(f(x + 11))\" cy=\"\(f(rowY))\" r=\"5.5\" fill=\"#ffffff\" stroke=\"\(keyColor)\" stroke-width=\"2\"/>",
            "Pareto front: none is beaten")
        row(MarkerShape.star(x: x + 11, y: rowY, r: 9, attributes: "fill=\"#ffd400\" stroke=\"\(keyColor)\" stroke-width=\"1.5\""), "answer: best score in window")
        row("<rect x=\"\(f(x))\" y=\"\(f(rowY - 7))\" width=\"22\" height=\"14\" fill=\"#f2c14e\" fill-opacity=\"0.35\" stroke=\"#d9a420\"/>", "target window (cost range)")
        row("", "hover over a mark for its candidate")
        svg += "</g>\n"

        rowY += 14
        let entries = searches.enumerated().map { number, front in
            SearchLegend.Entry(
                lineColor: color(number), lineWidth: 2,
                markerAttributes: "fill=\"#ffffff\" stroke=\"\(color(number))\" stroke-width=\"2\"", markerRadius: 5,
                text: "\(front.search.name) (\(front.search.strategy.rawValue)): \(front.front.count) / \(front.considered)")
        }
        return svg + SearchLegend.svg(x: x, y: &rowY, caption: "name (strategy): on front / evaluated", entries: entries, rowHeight: rowHeight)
    }

    /// The range of `values` widened by 3% on each side, so no point sits on the frame.
    static func padded(_ values: [Double]) -> ClosedRange<Double> {
        guard let low = values.min(), let high = values.max() else { return 0...1 }
        let pad = (high - low) * 0.03
        return (low - pad)...(high + pad)
    }

    struct Window: Hashable {
        var min: Double
        var max: Double
        var label: String
    }

    /// The distinct target windows on the axis of `objective`.
    static func windows(_ searches: [SearchFront], objective: Objective) -> [Window] {
        var result: [Window] = []
        for front in searches {
            let search = front.search
            guard objective.metric.costMetric(of: search) == search.targetMetric else { continue }
            let window = Window(min: search.targetMin, max: search.targetMax,
                                label: "target window of \(search.name): \(search.targetMetric) in [\(CostFormat.string(search.targetMin)), \(CostFormat.string(search.targetMax))]")
            if !result.contains(where: { $0.min == window.min && $0.max == window.max }) { result.append(window) }
        }
        return result
    }

    /// The metric's name for titles.
    static func axisName(_ objective: Objective, _ searches: [SearchFront]) -> String {
        switch objective.metric {
        case .score: return "score"
        case .madds: return "MAdds"
        case .params: return "parameters"
        case .cost:
            let metrics = Set(searches.map(\.search.targetMetric))
            if metrics.count == 1, let only = metrics.first, only != .cost { return only == .madds ? "MAdds" : "parameters" }
            return "cost"
        }
    }

    /// The axis label: metric, unit and which way is better. The score is named after the
    /// searches' evaluator (`ScoreLabel`): only the built-in trainer's score is an accuracy.
    static func axisLabel(_ objective: Objective, _ searches: [SearchFront]) -> String {
        let better = objective.direction == .max ? "higher is better" : "lower is better"
        let unit: String
        switch axisName(objective, searches) {
        case "score": unit = ScoreLabel.name(for: searches.map(\.search))
        case "MAdds": unit = "MAdds (multiply-accumulates per forward pass)"
        case "parameters": unit = "parameters (trainable weights and biases)"
        default: unit = "cost (sum of option costs, spec units)"
        }
        return "\(unit), \(better)"
    }
}
