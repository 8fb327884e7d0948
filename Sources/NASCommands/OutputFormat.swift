import ArgumentParser

/// How a report is printed: for people or for scripts.
enum OutputFormat: String, ExpressibleByArgument, CaseIterable, Sendable {
    case text
    case json
}
