import Foundation

/// `/`: every search of every database, with status, progress, best, elapsed time and ETA.
enum SearchListPage {
    static func html(_ searches: [SearchOverview], databases: [String]) -> String {
        let rows = searches.map { search -> [String] in
            let link = "/searches/\(search.database)/\(search.id)"
            let progress = search.budget.map { "\(search.evaluated) / \($0)" } ?? "\(search.evaluated)"
            let best = search.bestCandidateID.map { id in
                "<a href=\"/candidates/\(search.database)/\(id)\">\(HTML.number(search.bestScore))</a>"
            } ?? "—"
            var status = "<span class=\"status \(HTML.escape(search.status))\">\(HTML.escape(search.status))</span>"
            if search.status == "running", let owner = search.owner { status += " <small>(\(HTML.escape(owner)))</small>" }
            if let reason = search.stopReason { status += "<br><small>\(HTML.escape(reason))</small>" }
            return [
                HTML.escape(search.databasePath), "<a class=\"search-link\" href=\"\(link)\">\(HTML.escape(search.name))</a>",
                HTML.escape(search.strategy), "<code>\(HTML.escape(search.evaluator))</code>", status, progress, best,
                HTML.duration(search.elapsedSeconds), HTML.duration(search.etaSeconds),
            ]
        }
        let body = """
            <h1>Searches</h1>
            <p>\(databases.count) database\(databases.count == 1 ? "" : "s"), opened read-only: \(databases.map { "<code>\(HTML.escape($0))</code>" }.joined(separator: ", "))</p>
            \(HTML.table(id: "searches", headers: ["database", "search", "strategy", "evaluator", "status", "evaluated", "best", "elapsed", "ETA"], rows: rows))
            """
        return HTML.page(title: "Searches", body: body)
    }
}
