import ArgumentParser
import NASQuery

/// `layernas export DB`: every candidate, for pandas or a spreadsheet.
struct ExportCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "export",
        abstract: "Write every candidate with options, costs, status, score and lineage.",
        discussion: """
            Columns: search, candidate_id, seq, arch, status, score, target_metric, cost (the target \
            metric's value), one column per cost metric of the searches' families (custom_cost; madds, \
            params), in_window, layer, step, parent_id, parent (the parent's key), attempts, seconds, \
            error, option_1 ... option_L (the label chosen at each layer) and metrics_json. Rows stream \
            in generation order, search by search. Works while a search writes to the same file.

            Example:
              layernas export runs/burger.db --format csv --output burger.csv
              layernas export runs/all.db --all --format jsonl
            """
    )

    @OptionGroup var searches: QuerySearchOptions

    @OptionGroup var destination: FileOutputOptions<ExportFormat>

    /// The result formats that keep every value (no `table`).
    enum ExportFormat: String, FileFormat {
        case csv, json, jsonl

        static let fallback = ExportFormat.csv

        /// The same-named result format.
        var resultFormat: ResultFormat { ResultFormat(rawValue: rawValue) ?? .csv }
    }

    func run() async throws {
        let chosen = try destination.chosenFormat()
        try QueryCommandSupport.run {
            let database = try QueryDatabase(path: searches.database)
            let sink = try destination.sink(reading: searches.database)
            try database.exportCandidates(selection: searches.selection, format: chosen.resultFormat, to: sink)
            try sink.commit()
        }
    }
}
