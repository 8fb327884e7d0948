import ArgumentParser
import Foundation
import NASQuery

/// A `--format` value that can also be read from the extension of the `--output` file.
protocol FileFormat: ExpressibleByArgument, CaseIterable, RawRepresentable where RawValue == String {
    /// The format when neither `--format` nor the `--output` extension names one.
    static var fallback: Self { get }
}

/// `--format` and `--output` of the commands that write results (`query`, `export`, `pareto`).
struct FileOutputOptions<Format: FileFormat>: ParsableArguments {
    @Option(help: ArgumentHelp("Output format (default: from the --output extension, else \(Format.fallback.rawValue))."))
    var format: Format?

    @Option(help: ArgumentHelp("Write to this file instead of standard output (replaced only when complete).", valueName: "file"))
    var output: String?

    @Flag(help: "Replace the --output file even when it is an SQLite database (never the database being read).")
    var force = false

    /// Where the results go; refuses an `--output` that is `database` or its companion files.
    func sink(reading database: String) throws(QueryError) -> OutputSink {
        try OutputSink.open(path: output, database: database, replaceDatabase: force)
    }

    /// `--format`, else the format the `--output` extension names, else (no extension) the
    /// fallback. An extension that names no format is refused rather than silently written as
    /// the fallback (`--output plot.png` would hold CSV).
    func chosenFormat() throws -> Format {
        if let format { return format }
        guard let output, output != "-" else { return .fallback }
        let pathExtension = URL(fileURLWithPath: output).pathExtension
        guard !pathExtension.isEmpty else { return .fallback }
        guard let named = Format(rawValue: pathExtension.lowercased()) else {
            let names = Format.allCases.map(\.rawValue).joined(separator: ", ")
            throw CommandFailure(status: .badInput, description: "--output \(output): no format is called '\(pathExtension)'; use one of \(names), or choose one with --format")
        }
        return named
    }
}
