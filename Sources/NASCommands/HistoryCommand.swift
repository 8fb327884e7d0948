import ArgumentParser
import NASQuery

/// `layernas history DB`: the best in-window score against evaluations, as a table, CSV, JSON
/// or an SVG plot (docs/ARCHITECTURE.md#plots).
struct HistoryCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "history",
        abstract: "Show how a search found its answer: the best in-window score after each evaluation (table, CSV, JSON or an SVG plot).",
        discussion: """
            One row per evaluated candidate in generation order: its score, cost, whether it is in the \
            target window, the layer that generated it, and the best in-window candidate so far. The \
            SVG plot draws every evaluation as a dot (filled in the window, hollow outside it, coloured \
            by layer), the best-so-far line, the budget and the answer; --all overlays every search of \
            the database. Works while a search writes to the same file.

            Example:
              layernas history runs/fashion.db
              layernas history runs/fashion.db --output history.svg
              layernas history runs/compare.db --all --output history.svg
            """
    )

    @OptionGroup var searches: QuerySearchOptions

    @OptionGroup var destination: FileOutputOptions<HistoryFormat>

    enum HistoryFormat: String, FileFormat {
        case table, csv, json, svg

        static let fallback = HistoryFormat.table
    }

    func run() async throws {
        let chosen = try destination.chosenFormat()
        try QueryCommandSupport.run {
            let database = try QueryDatabase(path: searches.database)
            let report = try database.historyReport(selection: searches.selection)
            let sink = try destination.sink(reading: searches.database)
            switch chosen {
            case .table: try TableFormat.write(report.rows, to: sink)
            case .csv: try CSVFormat.write(report.rows, to: sink)
            case .json: try JSONFormat.write(report.rows, to: sink, lines: false)
            case .svg: try sink.write(HistoryPlot.svg(report))
            }
            try sink.commit()
        }
    }
}
