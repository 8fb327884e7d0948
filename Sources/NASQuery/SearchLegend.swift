/// The "Searches" legend of the plots that overlay several searches (history, pareto): per search
/// a line sample in its colour and dash, its marker shape, and a text whose numbers the caption
/// explains. One place, so the two plots tell searches apart the same way.
enum SearchLegend {
    /// Dash patterns of successive searches (solid first).
    static let dashes = ["", "7 4", "2 3", "9 3 2 3"]

    /// What one search's row shows.
    struct Entry {
        var lineColor: String
        var lineWidth: Double
        /// Fill and stroke attributes of the marker drawn on the line sample.
        var markerAttributes: String
        var markerRadius: Double
        var text: String
    }

    /// The legend group from `y` down (rows `rowHeight` apart); `y` ends below the last row.
    static func svg(x: Double, y: inout Double, caption: String, entries: [Entry], rowHeight: Double) -> String {
        let f = SVGMarkup.f
        var svg = "<g class=\"legend\" id=\"legend\">\n"
        svg += "<text x=\"\(f(x))\" y=\"\(f(y))\" font-weight=\"bold\">Searches</text>\n"
        svg += "<text x=\"\(f(x))\" y=\"\(f(y + 16))\" font-size=\"11\" fill=\"#555555\">\(SVGMarkup.escape(caption))</text>\n"
        y += 38
        for (number, entry) in entries.enumerated() {
            let dash = dashes[number % dashes.count]
            let dashAttribute = dash.isEmpty ? "" : " stroke-dasharray=\"\(dash)\""
            svg += "<line x1=\"\(f(x))\" y1=\"\(f(y))\" x2=\"\(f(x + 22))\" y2=\"\(f(y))\" stroke=\"\(entry.lineColor)\" stroke-width=\"\(f(entry.lineWidth))\"\(dashAttribute)/>"
            svg += MarkerShape.forSearch(number).element(x: x + 11, y: y, r: entry.markerRadius, attributes: entry.markerAttributes)
            svg += "<text x=\"\(f(x + 30))\" y=\"\(f(y + 4))\" font-size=\"12\">\(SVGMarkup.escape(entry.text))</text>\n"
            y += rowHeight
        }
        return svg + "</g>\n"
    }
}
