import Foundation

/// The dashboard's HTML: escaping and the page frame. Every text from a database or a request
/// (search names, labels, messages, log text) goes through `escape`, so none of it can become
/// markup or script; the pages' script is a separate file (`DashboardAssets`), so the Content
/// Security Policy can refuse inline script altogether (docs/ARCHITECTURE.md#dashboard).
enum HTML {
    /// `text` with `& < > " '` replaced by character references: safe in element content and in
    /// quoted attribute values.
    static func escape(_ text: String) -> String {
        var output = ""
        output.reserveCapacity(text.utf8.count)
        for character in text.unicodeScalars {
            switch character {
            case "&": output += "&amp;"
            case "<": output += "&lt;"
            case ">": output += "&gt;"
            case "\"": output += "&quot;"
            case "'": output += "&#39;"
            default: output.unicodeScalars.append(character)
            }
        }
        return output
    }

    /// A number for people: integers without a fraction, others with up to 6 significant digits.
    static func number(_ value: Double?) -> String {
        guard let value else { return "—" }
        guard value.isFinite else { return value.description }
        if value == value.rounded(), abs(value) < 1e15 { return String(Int64(value)) }
        return String(format: "%.6g", value)
    }

    static func number(_ value: Int?) -> String { value.map(String.init) ?? "—" }
    static func number(_ value: Int64?) -> String { value.map(String.init) ?? "—" }

    /// Seconds as `1h 02m`, `3m 05s` or `12s`.
    static func duration(_ seconds: Double?) -> String {
        guard let seconds, seconds.isFinite, seconds >= 0 else { return "—" }
        let whole = Int(seconds.rounded())
        if whole >= 3600 { return String(format: "%dh %02dm", whole / 3600, whole % 3600 / 60) }
        if whole >= 60 { return String(format: "%dm %02ds", whole / 60, whole % 60) }
        return "\(whole)s"
    }

    /// A whole page: title, navigation, `body` (already HTML), the stylesheet and the script.
    static func page(title: String, body: String) -> String {
        """
        <!DOCTYPE html>
        <html lang="en"><head><meta charset="utf-8">
        <meta name="viewport" content="width=device-width, initial-scale=1">
        <title>\(escape(title)) · layernas</title>
        <link rel="stylesheet" href="/dashboard.css">
        <script src="/dashboard.js" defer></script>
        </head><body>
        <nav><a href="/">layernas dashboard</a> · <a href="/compare">compare</a></nav>
        <main>
        \(body)
        </main>
        </body></html>
        """
    }

    /// A table: header cells and rows of cells, all already HTML.
    static func table(id: String? = nil, headers: [String], rows: [[String]]) -> String {
        var html = "<table\(id.map { " id=\"\($0)\"" } ?? "")><thead><tr>"
        html += headers.map { "<th>\($0)</th>" }.joined()
        html += "</tr></thead><tbody>\n"
        for row in rows {
            html += "<tr>" + row.map { "<td>\($0)</td>" }.joined() + "</tr>\n"
        }
        return html + "</tbody></table>"
    }

    /// A definition list of `(term, HTML value)`.
    static func facts(_ pairs: [(String, String)]) -> String {
        "<dl class=\"facts\">" + pairs.map { "<dt>\(escape($0.0))</dt><dd>\($0.1)</dd>" }.joined() + "</dl>"
    }
}
