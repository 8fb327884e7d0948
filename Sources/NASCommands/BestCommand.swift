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

    @OptionGroup var options: StoredSearchOptions

    func run() async throws {
        let (store, search) = try options.open()
        let format = options.format
        guard let best = try store.bestCandidate(searchID: search.record.id) else {
            if format == .json {
                print("null")
                return
            }
            throw CommandFailure(status: .failure, description: "search '\(search.record.name)' has no evaluated candidate inside the target window yet")
        }
        var report = BestReport(candidate: best, space: search.space, search: search.record.name)
        report.retraining = try store.retrainings(searchID: search.record.id)
            .last { $0.status == .finished && $0.key.candidateID == best.id }.map(RetrainingSummary.init)
        try format.print(report)
    }
}
