import ArgumentParser
import NASQuery

/// `layernas pareto DB`: the accuracy/cost front as CSV, JSON or an SVG plot.
struct ParetoCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "pareto",
        abstract: "Print the Pareto front of a search (CSV, JSON or an SVG plot).",
        discussion: """
            The front is every candidate no other candidate of the same search beats or equals on all \
            objectives while beating it on one; equal candidates are all kept. Candidates without a \
            value (failed, dropped, pending) are left out. Computed in O(n log n) for two objectives. \
            With several searches (--name repeated, or --all) each gets its own front, overlaid in one \
            plot. Objectives: score, cost (the target metric's value), madds, params, each :max or :min; \
            default score:max and the search's target metric:min. --source final-buckets uses the kept \
            members of the last layer's store instead of every evaluated candidate. Works while a search \
            writes to the same file.

            Example:
              layernas pareto runs/fashion.db
              layernas pareto runs/fashion.db --objectives score,madds,params --format json
              layernas pareto runs/compare.db --all --output front.svg
              layernas pareto runs/fashion.db --log-x --output front.svg
            """
    )

    @OptionGroup var searches: QuerySearchOptions

    @Option(help: ArgumentHelp("Objectives, each metric:max or metric:min (metrics: score, cost, madds, params).", valueName: "list"))
    var objectives: String?

    @Option(help: "Candidates the front is taken from.")
    var source: ParetoSource = .evaluated

    @Flag(name: .customLong("log-x"), help: "Draw the x axis of the SVG plot on a log scale (its values must be positive).")
    var logX = false

    @OptionGroup var destination: FileOutputOptions<ParetoFormat>

    enum ParetoFormat: String, FileFormat {
        case csv, json, svg

        static let fallback = ParetoFormat.csv
    }

    func run() async throws {
        let chosen = try destination.chosenFormat()
        if logX && chosen != .svg {
            throw CommandFailure(status: .badInput, description: "--log-x: applies to the SVG plot only; add --format svg or --output FILE.svg")
        }
        try QueryCommandSupport.run {
            let parsed = try objectives.map { text throws(QueryError) in try Objective.parseList(text) }
            let database = try QueryDatabase(path: searches.database)
            let report = try database.paretoReport(
                selection: searches.selection, objectives: parsed, source: source, keepValues: chosen == .svg)
            let sink = try destination.sink(reading: searches.database)
            switch chosen {
            case .csv: try CSVFormat.write(report.rows, to: sink)
            case .json: try sink.write(report.json())
            case .svg: try sink.write(ParetoPlot.svg(report, logX: logX))
            }
            try sink.commit()
        }
    }
}
