import ArgumentParser
import Foundation
import NASQuery

/// `--format` of `query` and `export`.
enum QueryOutputFormat: String, ExpressibleByArgument, CaseIterable, Sendable {
    case table
    case csv
    case json
    case jsonl

    var resultFormat: ResultFormat {
        switch self {
        case .table: return .table
        case .csv: return .csv
        case .json: return .json
        case .jsonl: return .jsonl
        }
    }
}

/// `--source` of `pareto`.
extension ParetoSource: ExpressibleByArgument {}

/// Options shared by `pareto` and `export` to choose searches.
struct QuerySearchOptions: ParsableArguments {
    @Option(name: .long, help: ArgumentHelp("A search to include (repeat for several; default: the only one).", valueName: "name"))
    var name: [String] = []

    @Flag(help: "Include every search of the database.")
    var all = false

    func validate() throws {
        if all && !name.isEmpty {
            throw ValidationError("give either --name or --all, not both")
        }
    }

    var selection: SearchSelection {
        if all { return .all }
        return name.isEmpty ? .only : .named(name)
    }
}

extension QueryError {
    /// The error as the command line reports it: exit 2 for bad input, 1 otherwise.
    var commandFailure: CommandFailure {
        CommandFailure(status: isBadInput ? .badInput : .failure, description: description)
    }
}

enum QueryCommandSupport {
    /// Runs `work`, turning query-layer errors into command failures with their exit status.
    static func run(_ work: () throws -> Void) throws {
        do {
            try work()
        } catch let error as QueryError {
            throw error.commandFailure
        }
    }

    /// The format named by the extension of `output` (`.svg`, `.json`, ...), if any.
    static func format<Format: RawRepresentable>(forOutput output: String?, as _: Format.Type) -> Format? where Format.RawValue == String {
        guard let output, output != "-" else { return nil }
        let suffix = URL(fileURLWithPath: output).pathExtension.lowercased()
        return Format(rawValue: suffix)
    }
}
