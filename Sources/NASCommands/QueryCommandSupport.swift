import ArgumentParser
import Foundation
import NASQuery

/// `--format` of `query` and `export`.
enum QueryOutputFormat: String, FileFormat, Sendable {
    case table, csv, json, jsonl

    static let fallback = QueryOutputFormat.table

    /// The same-named result format.
    var resultFormat: ResultFormat { ResultFormat(rawValue: rawValue) ?? .table }
}

/// `--source` of `pareto`.
extension ParetoSource: ExpressibleByArgument {}

/// Options shared by `pareto` and `export` to choose searches.
/// The database and the searches of it that `export` and `pareto` read.
struct QuerySearchOptions: ParsableArguments {
    @Argument(help: "Path of the search database.")
    var database: String

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
}
