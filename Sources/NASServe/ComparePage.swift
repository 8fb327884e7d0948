import Foundation

/// `/compare?search=DB:ID&search=DB:ID`: several searches' histories and fronts overlaid, with a
/// form to choose them among every search served. Searches on different target metrics share a
/// front only on explicit objectives (`objectives=score:max,madds:min`, as `pareto --objectives`).
enum ComparePage {
    static func html(all: [SearchOverview], chosen: [DashboardPlots.SearchKey], objectives: String, historySVG: String?, paretoSVG: String?) -> String {
        let boxes = all.map { search -> String in
            let key = DashboardPlots.SearchKey(database: search.database, searchID: search.id)
            let checked = chosen.contains(key) ? " checked" : ""
            return "<label><input type=\"checkbox\" name=\"search\" value=\"\(key.text)\"\(checked)> \(HTML.escape(search.name)) <small>(\(HTML.escape(search.databasePath)))</small></label>"
        }
        var body = """
            <h1>Compare searches</h1>
            <form id="compare" method="get" action="/compare">\(boxes.joined(separator: "<br>"))<br>
            <label>objectives <input type="text" name="objectives" value="\(HTML.escape(objectives))" placeholder="default: score:max and the target metric:min"></label>
            <button type="submit">compare</button></form>
            """
        if let historySVG, let paretoSVG {
            body += """
                <h2>Histories</h2>
                <div class="plot" id="history-plot">\(DashboardPlots.inline(historySVG))</div>
                <h2>Pareto fronts</h2>
                <div class="plot" id="pareto-plot">\(DashboardPlots.inline(paretoSVG))</div>
                """
        }
        return HTML.page(title: "Compare", body: body)
    }
}
