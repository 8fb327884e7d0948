import ArgumentParser
import Foundation
import NASStore

/// `layernas list DB`: every search in a database, one line each.
struct ListCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "list",
        abstract: "List the searches in a database: status, evaluations, best score, dates.",
        discussion: """
            Opens the database read-only, so it works while a search runs. A search whose process died shows as stopped. Dates are UTC.

            Example:
              layernas list runs/mlp.db
              layernas list runs/mlp.db --format json
            """
    )

    @Argument(help: "Path of the search database.")
    var database: String

    @Option(help: "Output format.")
    var format: OutputFormat = .text

    func run() async throws {
        let store = try Store(path: database, readOnly: true)
        var entries: [SearchListing.Entry] = []
        for record in try store.searches() {
            let counts = try store.statusCounts(searchID: record.id)
            let best = try store.bestCandidate(searchID: record.id)
            entries.append(SearchListing.Entry(record: record, counts: counts, best: best))
        }
        try format.print(SearchListing(database: database, searches: entries))
    }
}

/// What `list` prints: a table for people, a JSON array (one object per search) for scripts.
struct SearchListing: CommandReport {
    var database: String
    var searches: [Entry]

    struct Entry: Encodable {
        var name: String
        var strategy: String
        var status: String
        var stopReason: String?
        var evaluated: Int
        var failed: Int
        var pending: Int
        var budget: Int?
        var bestScore: Double?
        var bestArch: String?
        var bestCost: Double?
        var createdAt: String
        var updatedAt: String

        init(record: SearchRecord, counts: [CandidateStatus: Int], best: CandidateRecord?) {
            let state = RunState(record)
            name = record.name
            strategy = record.strategy.rawValue
            status = state.status.rawValue
            stopReason = state.stopReason
            evaluated = counts[.evaluated] ?? 0
            failed = counts[.failed] ?? 0
            pending = (counts[.pending] ?? 0) + (counts[.running] ?? 0)
            budget = record.budget
            bestScore = best?.score
            bestArch = best?.arch
            bestCost = best?.cost
            createdAt = record.createdAt
            updatedAt = record.updatedAt
        }
    }

    func encode(to encoder: Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(searches)
    }

    var text: String {
        guard !searches.isEmpty else { return "\(database): holds no search yet\n" }
        let header = ["NAME", "STRATEGY", "STATUS", "EVALUATED", "BEST", "CREATED (UTC)", "UPDATED (UTC)"]
        let rows = searches.map { entry in
            [
                entry.name, entry.strategy, entry.status,
                "\(entry.evaluated)" + (entry.budget.map { "/\($0)" } ?? ""),
                entry.bestScore.map { String(format: "%.4f", $0) } ?? "-",
                Self.readableTime(entry.createdAt), Self.readableTime(entry.updatedAt),
            ]
        }
        let widths = header.indices.map { column in ([header] + rows).map { $0[column].count }.max() ?? 0 }
        func line(_ cells: [String]) -> String {
            zip(cells, widths).map { $0.padding(toLength: $1, withPad: " ", startingAt: 0) }
                .joined(separator: "  ").trimmingCharacters(in: .whitespaces) + "\n"
        }
        return ([header] + rows).map(line).joined()
    }

    /// "2026-12-01T09:40:12.345Z" → "2026-12-01 09:40:12": people read seconds, not milliseconds.
    static func readableTime(_ timestamp: String) -> String {
        String(timestamp.prefix(19)).replacingOccurrences(of: "T", with: " ")
    }
}
