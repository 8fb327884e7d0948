import Foundation
import NASStore

/// `/searches/DB/ID/candidates`: the candidate table, sorted by a column header, filtered by
/// status, window, layer and option, one page at a time from the server, with a CSV download of
/// the filtered table.
enum CandidateTablePage {
    static func html(database: Int, searchID: Int64, name: String, layers: [SearchDetail.Layer], table: CandidateTable, request: CandidateTableRequest) -> String {
        let base = "/searches/\(database)/\(searchID)/candidates"
        let headers = DashboardReads.tableColumns.map { column -> String in
            let descending = request.sort == column ? !request.descending : (column == "score")
            let arrow = request.sort == column ? (request.descending ? " ▼" : " ▲") : ""
            return "<a href=\"\(base)?\(HTML.escape(request.query(page: 1, sort: column, descending: descending)))\">\(column)\(arrow)</a>"
        }
        let rows = table.rows.map { row -> [String] in
            [
                "<a href=\"/candidates/\(database)/\(row.id)\">\(row.id)</a>", String(row.seq), "<code>\(HTML.escape(row.arch))</code>",
                HTML.escape(row.status), HTML.number(row.score), HTML.number(row.cost), HTML.number(row.madds), HTML.number(row.params),
                HTML.number(row.customCost), row.inWindow ? "yes" : "no", HTML.number(row.layer),
                row.parentID.map { "<a href=\"/candidates/\(database)/\($0)\">\($0)</a>" } ?? "—",
                String(row.attempts), HTML.number(row.seconds),
            ]
        }
        let filter = request.filter
        func option(_ value: String, _ label: String, selected: Bool) -> String {
            "<option value=\"\(HTML.escape(value))\"\(selected ? " selected" : "")>\(HTML.escape(label))</option>"
        }
        let statuses = [option("", "any status", selected: filter.status == nil)]
            + CandidateStatus.allCases.map { option($0.rawValue, $0.rawValue, selected: filter.status == $0) }
        let windows = [option("", "in or out of the window", selected: filter.inWindow == nil),
                       option("in", "in the window", selected: filter.inWindow == true),
                       option("out", "outside the window", selected: filter.inWindow == false)]
        let layerChoices = [option("", "any layer", selected: filter.layer == nil)]
            + layers.map { option(String($0.layer), "generated at layer \($0.layer) (\($0.name))", selected: filter.layer == $0.layer) }
        let optionChoices = [option("", "any option", selected: filter.option == nil)] + layers.flatMap { layer in
            layer.options.map { label in
                option("\(layer.layer):\(label)", "\(layer.name) = \(label)",
                       selected: filter.option?.layer == layer.layer && filter.option?.label == label)
            }
        }
        let previous = request.page > 1 ? "<a id=\"previous\" href=\"\(base)?\(HTML.escape(request.query(page: request.page - 1)))\">← previous</a>" : ""
        let next = request.page < table.pageCount ? "<a id=\"next\" href=\"\(base)?\(HTML.escape(request.query(page: request.page + 1)))\">next →</a>" : ""
        let body = """
            <h1>Candidates of <a href="/searches/\(database)/\(searchID)">\(HTML.escape(name))</a></h1>
            <form id="filters" method="get" action="\(base)">
            <input type="hidden" name="sort" value="\(HTML.escape(request.sort))">
            <input type="hidden" name="order" value="\(request.descending ? "desc" : "asc")">
            <input type="hidden" name="size" value="\(request.size)">
            <select name="status">\(statuses.joined())</select>
            <select name="window">\(windows.joined())</select>
            <select name="layer">\(layerChoices.joined())</select>
            <select name="option">\(optionChoices.joined())</select>
            <button type="submit">filter</button>
            <a id="csv" href="\(base).csv?\(HTML.escape(request.filterQuery))">download CSV</a>
            </form>
            <p id="count">\(table.totalIsExact ? "" : "at least ")\(table.total) candidate\(table.total == 1 ? "" : "s") · page \(table.page) of \(table.totalIsExact ? "" : "at least ")\(table.pageCount) · \(previous) \(next)</p>
            \(HTML.table(id: "candidates", headers: headers, rows: rows))
            """
        return HTML.page(title: "Candidates of \(name)", body: body)
    }
}
