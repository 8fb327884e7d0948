/// Errors of the search module, each one line naming what was wrong.
package enum SearchError: Error, Sendable, Equatable, CustomStringConvertible {
    /// A score table that cannot be used.
    case badTable(path: String, line: Int?, message: String)
    /// A setting out of range or a request the search cannot honour.
    case badSetting(name: String, message: String)
    /// The stored search and the request disagree.
    case mismatch(String)

    /// Human-readable message for the error.
    package var description: String {
        switch self {
        case .badTable(let path, let line, let message):
            return line.map { "\(path): line \($0): \(message)" } ?? "\(path): \(message)"
        case .badSetting(let name, let message):
            return "--\(name): \(message)"
        case .mismatch(let message):
            return message
        }
    }
}
