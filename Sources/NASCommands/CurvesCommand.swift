import ArgumentParser
import NASQuery

/// `layernas curves DB --candidate ID ...`: stored per-epoch learning curves, as a table, CSV,
/// JSON or an SVG plot (docs/ARCHITECTURE.md#plots).
struct CurvesCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "curves",
        abstract: "Show the stored learning curves of candidates (table, CSV, JSON or an SVG plot).",
        discussion: """
            Reads the per-epoch rows the built-in trainer (or a command evaluator that reports a \
            curve) stored for each candidate: training loss, training and validation accuracy. A \
            candidate id is the candidate_id column of best, pareto, history, export or query. An \
            unknown id, or a candidate without stored epochs, is refused.

            Example:
              layernas curves runs/fashion.db --candidate 12
              layernas curves runs/fashion.db --candidate 12 --candidate 31 \\
                --output curves.svg
            """
    )

    @Argument(help: "Path of the search database.")
    var database: String

    @Option(name: .customLong("candidate"), help: ArgumentHelp("A candidate id (repeat for several).", valueName: "id"))
    var candidates: [Int64] = []

    @OptionGroup var destination: FileOutputOptions<CurvesFormat>

    enum CurvesFormat: String, FileFormat {
        case table, csv, json, svg

        static let fallback = CurvesFormat.table
    }

    func validate() throws {
        if candidates.isEmpty {
            throw ValidationError("give at least one --candidate ID")
        }
    }

    func run() async throws {
        let chosen = try destination.chosenFormat()
        try QueryCommandSupport.run {
            let report = try QueryDatabase(path: database).curvesReport(candidateIDs: candidates)
            let sink = try destination.sink(reading: database)
            switch chosen {
            case .table: try TableFormat.write(report.rows, to: sink)
            case .csv: try CSVFormat.write(report.rows, to: sink)
            case .json: try JSONFormat.write(report.rows, to: sink, lines: false)
            case .svg: try sink.write(CurvesPlot.svg(report))
            }
            try sink.commit()
        }
    }
}
