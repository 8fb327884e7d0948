import ArgumentParser
import Foundation
import NASSpace
import NASSearch
import NASStore

/// Exit codes of the command line (README "Command reference").
package enum ExitStatus: Int32, Sendable {
    case success = 0
    case failure = 1
    case badInput = 2
    case interrupted = 130
}

/// An error a command raises that already knows its exit status and its one-line message.
struct CommandFailure: Error, CustomStringConvertible {
    var status: ExitStatus
    var description: String
}

extension LayerNAS {
    /// Parses `arguments`, runs the chosen command, prints any error as one line on stderr and
    /// returns the exit status.
    package static func runMain(arguments: [String] = Array(CommandLine.arguments.dropFirst())) async -> Int32 {
        let command: ParsableCommand
        do {
            command = try parseAsRoot(textArgumentsLast(arguments))
        } catch {
            return report(parsingError: error)
        }
        do {
            if var asyncCommand = command as? AsyncParsableCommand {
                try await asyncCommand.run()
            } else {
                var syncCommand = command
                try syncCommand.run()
            }
            return ExitStatus.success.rawValue
        } catch {
            return report(runError: error)
        }
    }

    private static func report(parsingError error: Error) -> Int32 {
        let code = exitCode(for: error)
        if code == .success {
            print(fullMessage(for: error))
            return ExitStatus.success.rawValue
        }
        printError(message(for: error))
        return ExitStatus.badInput.rawValue
    }

    /// Moves arguments that start with `-` but cannot be options (whitespace before any `=`, such
    /// as SQL that starts with a `-- comment`) behind a `--`, so that they are read as the
    /// positional values they are. Arguments already after a `--` stay where they are.
    static func textArgumentsLast(_ arguments: [String]) -> [String] {
        guard !arguments.contains("--") else { return arguments }
        func isText(_ argument: String) -> Bool {
            guard argument.hasPrefix("-") else { return false }
            let name = argument.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false).first ?? ""
            return name.contains(where: \.isWhitespace)
        }
        let texts = arguments.filter(isText)
        guard !texts.isEmpty else { return arguments }
        return arguments.filter { !isText($0) } + ["--"] + texts
    }

    private static func report(runError error: Error) -> Int32 {
        let status: ExitStatus
        switch error {
        case let failure as CommandFailure: status = failure.status
        case is SpaceError, is SearchError: status = .badInput
        case let storeError as StoreError: status = storeError.isBadInput ? .badInput : .failure
        case is ValidationError: status = .badInput
        default:
            // Help and version requests from a command's default `run` arrive as clean exits.
            if exitCode(for: error) == .success {
                print(fullMessage(for: error))
                return ExitStatus.success.rawValue
            }
            status = .failure
        }
        let text = (error as? ValidationError)?.message ?? String(describing: error)
        // A stop the user asked for has said what happened already: no error line.
        if !text.isEmpty { printError(text) }
        return status.rawValue
    }

    static func printError(_ text: String) {
        let line = text.split(whereSeparator: \.isNewline).joined(separator: " ")
        FileHandle.standardError.write(Data("error: \(line)\n".utf8))
    }
}
