import Foundation

/// `/searches/DB/ID`: progress and ETA (refreshed by `dashboard.js` from `/api/searches/DB/ID`
/// while the search runs, plots redrawn when a new evaluation lands), the history and Pareto
/// plots, the per-layer store fill, the settings and the spec.
enum SearchPage {
    static func html(_ detail: SearchDetail, historySVG: String?, paretoSVG: String?) -> String {
        let search = detail.search
        let base = "/searches/\(search.database)/\(search.id)"
        let budget = search.budget.map(String.init) ?? "none"
        let progress = search.budget.map { "<progress id=\"progress\" max=\"\($0)\" value=\"\(min(search.evaluated, $0))\"></progress>" } ?? ""
        let best = search.bestCandidateID.map { "<a id=\"best\" href=\"/candidates/\(search.database)/\($0)\">\(HTML.number(search.bestScore)) (candidate \($0))</a>" }
            ?? "<span id=\"best\">none in the window yet</span>"
        let body = """
            <h1>\(HTML.escape(search.name))</h1>
            <p><code>\(HTML.escape(search.databasePath))</code> · \(HTML.escape(search.strategy)) · <code>\(HTML.escape(search.evaluator))</code> ·
            <a href="\(base)/candidates">candidates</a> · <a href="/compare?search=\(search.database):\(search.id)">compare</a></p>
            <section id="live" data-api="/api\(base)" data-plots="\(base)" data-evaluated="\(search.evaluated)" data-status="\(HTML.escape(search.status))">
            \(HTML.facts([
                ("status", "<span id=\"status\" class=\"status \(HTML.escape(search.status))\">\(HTML.escape(search.status))</span> <small id=\"stop-reason\">\(HTML.escape(search.stopReason ?? ""))</small>"),
                ("evaluated", "<span id=\"evaluated\">\(search.evaluated)</span> of budget \(budget) \(progress)"),
                ("pending · running · failed · dropped", "<span id=\"counts\">\(search.pending) · \(search.running) · \(search.failed) · \(search.dropped)</span>"),
                ("best in window", best),
                ("elapsed", "<span id=\"elapsed\">\(HTML.duration(search.elapsedSeconds))</span>"),
                ("ETA", "<span id=\"eta\">\(HTML.duration(search.etaSeconds))</span>"),
                ("target window", "\(HTML.escape(search.targetMetric)) in [\(HTML.number(search.targetMin)), \(HTML.number(search.targetMax))]"),
            ]))
            </section>
            <h2>History</h2>
            <div class="plot" id="history-plot" data-src="\(base)/history.svg" data-candidates="/candidates/\(search.database)/">\(historySVG.map(DashboardPlots.inline) ?? "<p>no evaluation yet</p>")</div>
            <h2>Pareto front</h2>
            <p class="hint">Click a dot to open its candidate.</p>
            <div class="plot" id="pareto-plot" data-src="\(base)/pareto.svg" data-candidates="/candidates/\(search.database)/">\(paretoSVG.map(DashboardPlots.inline) ?? "<p>no evaluation yet</p>")</div>
            <h2>Store fill</h2>
            \(storeFill(detail))
            <h2>Settings</h2>
            <pre id="settings">\(HTML.escape(pretty(detail.settingsJSON)))</pre>
            <h2>Spec</h2>
            <pre id="spec">\(HTML.escape(pretty(detail.spaceJSON)))</pre>
            """
        return HTML.page(title: search.name, body: body)
    }

    /// The layer × bucket grid of the layer stores: kept members (evicted ones after a slash),
    /// the best kept score as the cell's tooltip, shaded by how many are kept.
    static func storeFill(_ detail: SearchDetail) -> String {
        guard !detail.storeFill.isEmpty else { return "<p id=\"store-fill\">no store member yet (baseline strategies have none)</p>" }
        let widest = detail.layers.map(\.buckets).max() ?? 0
        let mostKept = max(1, detail.storeFill.map(\.kept).max() ?? 1)
        var cells: [Int: [Int: SearchDetail.Bucket]] = [:]
        for bucket in detail.storeFill { cells[bucket.layer, default: [:]][bucket.bucket] = bucket }
        var html = "<table id=\"store-fill\" class=\"grid\"><thead><tr><th>layer</th>"
        html += (0..<widest).map { "<th>\($0)</th>" }.joined() + "</tr></thead><tbody>\n"
        for layer in detail.layers {
            html += "<tr><th>\(layer.layer) \(HTML.escape(layer.name))</th>"
            for bucket in 0..<widest {
                guard bucket < layer.buckets else { html += "<td class=\"none\"></td>"; continue }
                guard let cell = cells[layer.layer]?[bucket] else { html += "<td></td>"; continue }
                let shade = 0.15 + 0.6 * Double(cell.kept) / Double(mostKept)
                let tip = "layer \(layer.layer) bucket \(bucket): \(cell.kept) kept, \(cell.evicted) evicted, best \(HTML.number(cell.bestScore))"
                html += "<td style=\"background:rgba(31,119,180,\(String(format: "%.2f", shade)))\" title=\"\(HTML.escape(tip))\">\(cell.kept)\(cell.evicted > 0 ? "/\(cell.evicted)" : "")</td>"
            }
            html += "</tr>\n"
        }
        return html + "</tbody></table><p class=\"hint\">Each cell: members kept (/ evicted); hover for the best kept score.</p>"
    }

    /// Stored JSON indented for reading; the text as stored when it does not parse.
    static func pretty(_ json: String) -> String {
        guard let object = try? JSONSerialization.jsonObject(with: Data(json.utf8)),
              let data = try? JSONSerialization.data(withJSONObject: object, options: [.prettyPrinted, .sortedKeys]) else { return json }
        return String(decoding: data, as: UTF8.self)
    }
}
