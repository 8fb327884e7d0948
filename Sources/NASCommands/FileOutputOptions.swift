import ArgumentParser
import Foundation

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

    /// `--format`, else the format the `--output` extension names, else the fallback.
    var chosenFormat: Format {
        if let format { return format }
        guard let output, output != "-" else { return .fallback }
        return Format(rawValue: URL(fileURLWithPath: output).pathExtension.lowercased()) ?? .fallback
    }
}
