/// The plot area of a chart: where it sits in the document, its two scales, and the SVG of its
/// grid, axes, tick labels, axis labels and frame. Every plot of layernas draws through one, so
/// ticks and labels look and behave the same in all of them (docs/ARCHITECTURE.md#plots).
struct PlotFrame {
    var left: Double
    var top: Double
    var width: Double
    var height: Double
    var x: any AxisScale
    var y: any AxisScale

    var right: Double { left + width }
    var bottom: Double { top + height }

    /// The horizontal position of `value` (not finite when the scale cannot show it).
    func px(_ value: Double) -> Double { left + x.fraction(value) * width }
    /// The vertical position of `value`.
    func py(_ value: Double) -> Double { bottom - y.fraction(value) * height }
    /// `position` kept inside the plot area horizontally.
    func clampX(_ position: Double) -> Double { min(max(position, left), right) }

    /// A clip path named `id` for the plot area, so marks beyond the axes are cut off.
    func clipPath(id: String) -> String {
        "<defs><clipPath id=\"\(id)\"><rect x=\"\(SVGMarkup.f(left))\" y=\"\(SVGMarkup.f(top))\" width=\"\(SVGMarkup.f(width))\" height=\"\(SVGMarkup.f(height))\"/></clipPath></defs>\n"
    }

    /// Both axes with grid lines, tick marks, tick labels and the axis labels (`axis`, `tick`,
    /// `tick-label`, `axis-label` classes; ids `x-axis`, `y-axis`, `x-label`, `y-label`).
    func axes(xLabel: String, yLabel: String, idPrefix: String = "") -> String {
        let f = SVGMarkup.f
        var svg = axis(id: idPrefix + "x-axis", line: (left, bottom, right, bottom), ticks: x.ticks.map { tick in
            let position = px(tick)
            return Tick(grid: (position, top, position, bottom), mark: (position, bottom, position, bottom + 6),
                        label: (position, bottom + 22), anchor: "middle", text: x.label(tick))
        })
        svg += axis(id: idPrefix + "y-axis", line: (left, top, left, bottom), ticks: y.ticks.map { tick in
            let position = py(tick)
            return Tick(grid: (left, position, right, position), mark: (left - 6, position, left, position),
                        label: (left - 10, position + 4), anchor: "end", text: y.label(tick))
        })
        svg += "<text class=\"axis-label\" id=\"\(idPrefix)x-label\" x=\"\(f(left + width / 2))\" y=\"\(f(bottom + 48))\" text-anchor=\"middle\">\(SVGMarkup.escape(xLabel))</text>\n"
        svg += "<text class=\"axis-label\" id=\"\(idPrefix)y-label\" transform=\"translate(\(f(left - 66)) \(f(top + height / 2))) rotate(-90)\" text-anchor=\"middle\">\(SVGMarkup.escape(yLabel))</text>\n"
        return svg
    }

    /// The frame around the plot area, drawn last so marks do not cover it.
    func frame() -> String {
        let f = SVGMarkup.f
        return "<rect class=\"frame\" x=\"\(f(left))\" y=\"\(f(top))\" width=\"\(f(width))\" height=\"\(f(height))\" fill=\"none\" stroke=\"#333333\"/>\n"
    }

    /// A line segment (x1, y1, x2, y2) in SVG coordinates.
    typealias Segment = (Double, Double, Double, Double)

    /// One tick of an axis: its grid line across the plot, its mark on the axis, and its label.
    struct Tick {
        var grid: Segment
        var mark: Segment
        var label: (x: Double, y: Double)
        var anchor: String
        var text: String
    }

    /// An axis group: the axis line, then a grid line, a tick mark and a label for every tick
    /// inside the plot area (a log axis may not show every value).
    func axis(id: String, line: Segment, ticks: [Tick]) -> String {
        let f = SVGMarkup.f
        func segment(_ s: Segment) -> String { "x1=\"\(f(s.0))\" y1=\"\(f(s.1))\" x2=\"\(f(s.2))\" y2=\"\(f(s.3))\"" }
        var svg = "<g class=\"axis\" id=\"\(id)\" stroke=\"#333333\">\n"
        svg += "<line \(segment(line))/>\n"
        for tick in ticks where [tick.grid.0, tick.grid.1, tick.grid.2, tick.grid.3].allSatisfy(\.isFinite) {
            svg += "<line class=\"grid\" \(segment(tick.grid)) stroke=\"#e5e5e5\"/>"
            svg += "<line class=\"tick\" \(segment(tick.mark))/>"
            svg += "<text class=\"tick-label\" x=\"\(f(tick.label.x))\" y=\"\(f(tick.label.y))\" text-anchor=\"\(tick.anchor)\" stroke=\"none\" fill=\"#333333\">\(SVGMarkup.escape(tick.text))</text>\n"
        }
        return svg + "</g>\n"
    }
}
