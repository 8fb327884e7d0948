import ArgumentParser

/// How a report is printed: for people or for scripts.
enum OutputFormat: String, ExpressibleByArgument, CaseIterable, Sendable {
    case text
    case json
}

/// A report a command prints either as text for people or as JSON for scripts.
protocol CommandReport: Encodable {
    /// The text form, ending with a newline.
    var text: String { get }
}

extension OutputFormat {
    /// Prints `report` to standard output in this format.
    func print(_ report: some CommandReport) throws {
        switch self {
        case .json: try JSONOutput.print(report)
        case .text: Swift.print(report.text, terminator: "")
        }
    }
}
