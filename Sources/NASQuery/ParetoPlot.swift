import Foundation
import NASSpace

/// Draws a `ParetoReport` as a standalone SVG document (no external resources), for a browser.
///
/// Every considered candidate is a small dot, the front of each search is a step line through
/// its members (drawn over the dots, each member a larger marker with a tooltip), the target
/// window is shaded, both axes have nice tick values and a label with the unit, and a legend
/// names the searches when there are several. The y axis shows the score objective when there is
/// one, the x axis the first other objective. Dots that fall on the same half pixel are drawn
/// once, so a million candidates still give a file a browser opens.
///
/// Element classes, for tests and styling: `title`, `axis`, `tick`, `axis-label`, `window`,
/// `point`, `front`, `front-point`, `legend`.
package enum ParetoPlot {
    /// Size of the drawing, in SVG units.
    static let (width, height) = (960.0, 620.0)
    /// Margins around the plot area, for the title, the tick labels and the axis labels.
    static let (left, right, top, bottom) = (90.0, 40.0, 70.0, 70.0)
    static let palette = ["#1f77b4", "#d62728", "#2ca02c", "#ff7f0e", "#9467bd", "#8c564b", "#e377c2", "#17becf"]

    /// The SVG document of `report` (whose searches must carry their `values`).
    package static func svg(_ report: ParetoReport) -> String {
        let objectives = report.objectives
        let yAxis = objectives.firstIndex { $0.metric == .score } ?? 0
        let xAxis = objectives.indices.first { $0 != yAxis } ?? 1
        let dimensions = objectives.count
        let searches = report.searches

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
        let xValues = xs.filter(\.isFinite) + windows.flatMap { [$0.min, $0.max] }.filter(\.isFinite)
        let yValues = ys.filter(\.isFinite)
        let xRange = padded(xValues)
        let yRange = padded(yValues)
        let xScale = NiceScale(minimum: xRange.lowerBound, maximum: xRange.upperBound, ticks: 7)
        let yScale = NiceScale(minimum: yRange.lowerBound, maximum: yRange.upperBound, ticks: 6)
        let plotWidth = width - left - right
        let plotHeight = height - top - bottom
        func px(_ value: Double) -> Double {
            left + (value - xScale.lower) / (xScale.upper - xScale.lower) * plotWidth
        }
        func py(_ value: Double) -> Double {
            top + plotHeight - (value - yScale.lower) / (yScale.upper - yScale.lower) * plotHeight
        }
        func clampX(_ value: Double) -> Double { min(max(value, left), left + plotWidth) }

        var svg = """
            <?xml version="1.0" encoding="UTF-8"?>
            <svg xmlns="http://www.w3.org/2000/svg" version="1.1" width="\(f(width))" height="\(f(height))" viewBox="0 0 \(f(width)) \(f(height))" font-family="DejaVu Sans, Helvetica, Arial, sans-serif" font-size="13">

            """
        svg += "<rect x=\"0\" y=\"0\" width=\"\(f(width))\" height=\"\(f(height))\" fill=\"#ffffff\"/>\n"
        svg += "<defs><clipPath id=\"plot-area\"><rect x=\"\(f(left))\" y=\"\(f(top))\" width=\"\(f(plotWidth))\" height=\"\(f(plotHeight))\"/></clipPath></defs>\n"

        // Title.
        let names = searches.map(\.search.name)
        let evaluatedCount = searches.map(\.considered).reduce(0, +)
        let frontCount = searches.map(\.front.count).reduce(0, +)
        let subject = names.count == 1 ? "search \(names[0])" : "\(names.count) searches"
        let title = "Pareto front: \(axisName(objectives[yAxis], searches)) vs \(axisName(objectives[xAxis], searches)) (\(subject))"
        svg += "<text class=\"title\" x=\"\(f(width / 2))\" y=\"28\" text-anchor=\"middle\" font-size=\"18\" font-weight=\"bold\">\(escape(title))</text>\n"
        let sourceText = report.source == .evaluated ? "evaluated candidates" : "final-layer store members"
        var subtitle = "\(evaluatedCount) \(sourceText), \(frontCount) on the front; objectives \(objectives.map(\.description).joined(separator: ", "))"
        if dimensions > 2 { subtitle += " (front over all objectives, shown in two)" }
        svg += "<text class=\"subtitle\" x=\"\(f(width / 2))\" y=\"48\" text-anchor=\"middle\" fill=\"#555555\">\(escape(subtitle))</text>\n"

        // Target windows.
        for window in windows {
            let low = clampX(px(window.min))
            let high = clampX(px(window.max))
            guard high >= low else { continue }
            svg += "<rect class=\"window\" x=\"\(f(low))\" y=\"\(f(top))\" width=\"\(f(max(high - low, 1)))\" height=\"\(f(plotHeight))\" fill=\"#f2c14e\" fill-opacity=\"0.22\" stroke=\"#d9a420\" stroke-opacity=\"0.6\"><title>\(escape(window.label))</title></rect>\n"
            svg += "<text class=\"window-label\" x=\"\(f((low + high) / 2))\" y=\"\(f(top + 14))\" text-anchor=\"middle\" fill=\"#8a6d12\" font-size=\"11\">target window</text>\n"
        }

        // Grid and axes.
        let bottomEdge = top + plotHeight
        svg += axis(id: "x-axis", line: (left, bottomEdge, left + plotWidth, bottomEdge), ticks: xScale.ticks.map { tick in
            let x = px(tick)
            return AxisTick(grid: (x, top, x, bottomEdge), mark: (x, bottomEdge, x, bottomEdge + 6),
                            label: (x, bottomEdge + 22), anchor: "middle", text: xScale.label(tick))
        })
        svg += axis(id: "y-axis", line: (left, top, left, bottomEdge), ticks: yScale.ticks.map { tick in
            let y = py(tick)
            return AxisTick(grid: (left, y, left + plotWidth, y), mark: (left - 6, y, left, y),
                            label: (left - 10, y + 4), anchor: "end", text: yScale.label(tick))
        })
        svg += "<text class=\"axis-label\" id=\"x-label\" x=\"\(f(left + plotWidth / 2))\" y=\"\(f(height - 22))\" text-anchor=\"middle\">\(escape(axisLabel(objectives[xAxis], searches)))</text>\n"
        svg += "<text class=\"axis-label\" id=\"y-label\" transform=\"translate(24 \(f(top + plotHeight / 2))) rotate(-90)\" text-anchor=\"middle\">\(escape(axisLabel(objectives[yAxis], searches)))</text>\n"

        // Candidates, then fronts on top.
        svg += "<g clip-path=\"url(#plot-area)\">\n"
        for (number, front) in searches.enumerated() {
            let color = palette[number % palette.count]
            svg += "<g class=\"points\" fill=\"\(color)\" fill-opacity=\"0.35\">\n"
            var drawn = Set<Int64>()
            for index in stride(from: 0, to: front.values.count, by: dimensions) {
                let x = px(front.values[index + xAxis])
                let y = py(front.values[index + yAxis])
                guard x.isFinite, y.isFinite else { continue }
                let key = Int64((x * 2).rounded()) << 32 | Int64((y * 2).rounded())
                guard drawn.insert(key).inserted else { continue }
                svg += "<circle class=\"point\" cx=\"\(f(x))\" cy=\"\(f(y))\" r=\"2.5\"/>\n"
            }
            svg += "</g>\n"
        }
        for (number, front) in searches.enumerated() {
            let color = palette[number % palette.count]
            let members = front.front
                .filter { $0.values[xAxis].isFinite && $0.values[yAxis].isFinite }
                .sorted { ($0.values[xAxis], $0.values[yAxis], $0.candidateID) < ($1.values[xAxis], $1.values[yAxis], $1.candidateID) }
            if dimensions == 2, let first = members.first {
                var path = "M\(f(px(first.values[xAxis]))) \(f(py(first.values[yAxis])))"
                let horizontalFirst = objectives[xAxis].direction == .min
                if !horizontalFirst { path = "M\(f(left)) \(f(py(first.values[yAxis]))) H\(f(px(first.values[xAxis])))" }
                for member in members.dropFirst() {
                    let x = f(px(member.values[xAxis]))
                    let y = f(py(member.values[yAxis]))
                    path += horizontalFirst ? " H\(x) V\(y)" : " V\(y) H\(x)"
                }
                if horizontalFirst { path += " H\(f(left + plotWidth))" }
                svg += "<path class=\"front\" d=\"\(path)\" fill=\"none\" stroke=\"\(color)\" stroke-width=\"2\"/>\n"
            }
            for member in members {
                let tip = "\(member.search): \(member.arch), " + objectives.enumerated().map { "\($0.element.metric.rawValue) \(valueText(member.values[$0.offset]))" }.joined(separator: ", ")
                svg += "<circle class=\"front-point\" cx=\"\(f(px(member.values[xAxis])))\" cy=\"\(f(py(member.values[yAxis])))\" r=\"4.5\" fill=\"\(color)\" stroke=\"#ffffff\" stroke-width=\"1.2\"><title>\(escape(tip))</title></circle>\n"
            }
        }
        svg += "</g>\n"
        svg += "<rect class=\"frame\" x=\"\(f(left))\" y=\"\(f(top))\" width=\"\(f(plotWidth))\" height=\"\(f(plotHeight))\" fill=\"none\" stroke=\"#333333\"/>\n"

        // Legend.
        if searches.count > 1 {
            let rowHeight = 18.0
            let legendWidth = 60 + Double(searches.map { $0.search.name.count + 22 }.max() ?? 20) * 7
            // Bottom right: for a score-against-cost plot that corner (costly and poor) is empty.
            let x = left + plotWidth - legendWidth - 10
            let y = top + plotHeight - Double(searches.count) * rowHeight - 20
            svg += "<g class=\"legend\" id=\"legend\">\n"
            svg += "<rect x=\"\(f(x))\" y=\"\(f(y))\" width=\"\(f(legendWidth))\" height=\"\(f(Double(searches.count) * rowHeight + 10))\" fill=\"#ffffff\" fill-opacity=\"0.9\" stroke=\"#999999\"/>\n"
            for (number, front) in searches.enumerated() {
                let rowY = y + 5 + Double(number) * rowHeight + rowHeight / 2
                let color = palette[number % palette.count]
                svg += "<line x1=\"\(f(x + 8))\" y1=\"\(f(rowY))\" x2=\"\(f(x + 30))\" y2=\"\(f(rowY))\" stroke=\"\(color)\" stroke-width=\"2\"/>"
                svg += "<circle cx=\"\(f(x + 19))\" cy=\"\(f(rowY))\" r=\"4\" fill=\"\(color)\"/>"
                svg += "<text x=\"\(f(x + 38))\" y=\"\(f(rowY + 4))\">\(escape("\(front.search.name) (\(front.search.strategy.rawValue), \(front.front.count)/\(front.considered))"))</text>\n"
            }
            svg += "</g>\n"
        }
        svg += "</svg>\n"
        return svg
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

    /// The axis label: metric, unit and which way is better.
    static func axisLabel(_ objective: Objective, _ searches: [SearchFront]) -> String {
        let better = objective.direction == .max ? "higher is better" : "lower is better"
        let unit: String
        switch axisName(objective, searches) {
        case "score": unit = "score (evaluator's accuracy)"
        case "MAdds": unit = "MAdds (multiply-accumulates per forward pass)"
        case "parameters": unit = "parameters (trainable weights and biases)"
        default: unit = "cost (sum of option costs, spec units)"
        }
        return "\(unit), \(better)"
    }

    static func valueText(_ value: Double) -> String {
        value.rounded() == value && abs(value) < 1e15 ? String(Int64(value)) : String(format: "%.4g", value)
    }

    /// A coordinate with at most two decimals.
    /// A line segment (x1, y1, x2, y2) in SVG coordinates.
    typealias Segment = (Double, Double, Double, Double)

    /// One tick of an axis: its grid line across the plot, its mark on the axis, and its label.
    struct AxisTick {
        var grid: Segment
        var mark: Segment
        var label: (x: Double, y: Double)
        var anchor: String
        var text: String
    }

    /// An axis group: the axis line, then a grid line, a tick mark and a label for every tick.
    static func axis(id: String, line: Segment, ticks: [AxisTick]) -> String {
        func segment(_ s: Segment) -> String { "x1=\"\(f(s.0))\" y1=\"\(f(s.1))\" x2=\"\(f(s.2))\" y2=\"\(f(s.3))\"" }
        var svg = "<g class=\"axis\" id=\"\(id)\" stroke=\"#333333\">\n"
        svg += "<line \(segment(line))/>\n"
        for tick in ticks {
            svg += "<line class=\"grid\" \(segment(tick.grid)) stroke=\"#e5e5e5\"/>"
            svg += "<line class=\"tick\" \(segment(tick.mark))/>"
            svg += "<text class=\"tick-label\" x=\"\(f(tick.label.x))\" y=\"\(f(tick.label.y))\" text-anchor=\"\(tick.anchor)\" stroke=\"none\" fill=\"#333333\">\(escape(tick.text))</text>\n"
        }
        return svg + "</g>\n"
    }

    static func f(_ value: Double) -> String {
        guard value.isFinite else { return "0" }
        let rounded = (value * 100).rounded() / 100
        return rounded == rounded.rounded() ? String(Int64(rounded)) : String(rounded)
    }

    /// Text escaped for XML content and attribute values.
    static func escape(_ text: String) -> String {
        var output = ""
        for character in text {
            switch character {
            case "&": output += "&amp;"
            case "<": output += "&lt;"
            case ">": output += "&gt;"
            case "\"": output += "&quot;"
            case "'": output += "&apos;"
            default:
                // Control characters are not allowed in XML 1.0.
                if character.unicodeScalars.allSatisfy({ $0.value < 0x20 }) {
                    output += " "
                } else {
                    output.append(character)
                }
            }
        }
        return output
    }
}
