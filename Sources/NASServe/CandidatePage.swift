import Foundation

/// `/candidates/DB/ID`: options and costs, lineage back to the base model, the learning curve,
/// the events, and the tails of an external command's `stdout.log` and `stderr.log`.
enum CandidatePage {
    static func html(_ candidate: CandidateDetail, curvesSVG: String?) -> String {
        let database = candidate.database
        let optionsTable = HTML.table(id: "options", headers: ["layer", "option"], rows: candidate.options.map {
            [HTML.escape($0.layer), "<code>\(HTML.escape($0.label))</code>"]
        })
        let lineage = candidate.lineage.isEmpty
            ? "<p id=\"lineage\">no parent: this is a base model or a baseline candidate</p>"
            : "<ol id=\"lineage\">" + candidate.lineage.map { ancestor in
                "<li><a href=\"/candidates/\(database)/\(ancestor.id)\">\(ancestor.id)</a> <code>\(HTML.escape(ancestor.arch))</code> score \(HTML.number(ancestor.score))\(ancestor.layer.map { " · layer \($0)" } ?? "")</li>"
            }.joined() + "</ol>"
        let events = candidate.events.isEmpty ? "<p id=\"events\">no event about this candidate</p>"
            : HTML.table(id: "events", headers: ["at", "kind", "message"], rows: candidate.events.map {
                [HTML.escape($0.at), HTML.escape($0.kind), HTML.escape($0.message)]
            })
        let logs = CandidateLogs.names.compactMap { name -> String? in
            guard let text = candidate.logs[name] else { return nil }
            return "<h3>\(name) <small><a href=\"/candidates/\(database)/\(candidate.id)/logs/\(name)\">raw</a></small></h3><pre class=\"log\">\(HTML.escape(text))</pre>"
        }
        let body = """
            <h1>Candidate \(candidate.id) <code>\(HTML.escape(candidate.arch))</code></h1>
            <p>of <a href="/searches/\(database)/\(candidate.searchID)">\(HTML.escape(candidate.search))</a></p>
            \(HTML.facts([
                ("status", HTML.escape(candidate.status)),
                ("score", HTML.number(candidate.score)),
                ("cost (target metric)", HTML.number(candidate.cost)),
                ("in the target window", candidate.inWindow ? "yes" : "no"),
                ("madds", HTML.number(candidate.madds)),
                ("params", HTML.number(candidate.params)),
                ("custom cost", HTML.number(candidate.customCost)),
                ("generated at layer", HTML.number(candidate.layer)),
                ("generation order", String(candidate.seq)),
                ("attempts", String(candidate.attempts)),
                ("error", HTML.escape(candidate.error ?? "—")),
                ("metrics", "<code>\(HTML.escape(candidate.metricsJSON ?? "—"))</code>"),
            ]))
            <h2>Options</h2>
            \(optionsTable)
            <h2>Lineage</h2>
            \(lineage)
            <h2>Learning curve</h2>
            <div class="plot" id="curve-plot">\(curvesSVG.map(DashboardPlots.inline) ?? "<p>no stored epochs (only evaluators that report a per-epoch curve store them)</p>")</div>
            <h2>Events</h2>
            \(events)
            <h2>Logs</h2>
            \(logs.isEmpty ? "<p id=\"logs\">no stdout.log or stderr.log in this candidate's working directory</p>" : "<div id=\"logs\">" + logs.joined() + "</div>")
            """
        return HTML.page(title: "Candidate \(candidate.id)", body: body)
    }
}
