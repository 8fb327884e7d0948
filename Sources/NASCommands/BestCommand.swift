import ArgumentParser
import NASStore

/// `layernas best DB`: the answer of a search.
struct BestCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "best",
        abstract: "Print the best evaluated architecture inside the target window.",
        discussion: """
            Ties are broken by lower cost, then by earlier generation. Opens the database read-only, \
            so it works while a search runs.

            Example:
              layernas best runs/burger.db
              layernas best runs/burger.db --name burger --format json
            """
    )

    @Argument(help: "Path of the search database.")
    var database: String

    @Option(help: "Name of the search (default: the only one).")
    var name: String?

    @Option(help: "Output format.")
    var format: OutputFormat = .text

    func run() async throws {
        let store = try Store(path: database, readOnly: true)
        let search = try SearchLookup.find(store: store, name: name)
        guard let best = try store.bestCandidate(searchID: search.record.id) else {
            if format == .json {
                print("null")
                return
            }
            throw CommandFailure(status: .failure, description: "search '\(search.record.name)' has no evaluated candidate inside the target window yet")
        }
        let report = BestReport(candidate: best, space: search.space, search: search.record.name)
        switch format {
        case .json: try JSONOutput.print(report)
        case .text: print(report.text, terminator: "")
        }
    }
}
