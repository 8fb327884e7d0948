/// Everything that can be wrong with a search-space file or an architecture key.
///
/// Each description is one line that names the file, the field path and the value.
package enum SpaceError: Error, Sendable, Equatable, CustomStringConvertible {
    /// The file cannot be read or parsed at all.
    case unreadable(file: String, reason: String)
    /// A field holds a wrong value; `path` is like `layers[1].options[0].units`.
    case invalid(file: String, path: String, message: String)
    /// An architecture key that does not name an architecture of the space.
    case badArchitecture(key: String, message: String)

    /// Human-readable message for the error.
    package var description: String {
        switch self {
        case .unreadable(let file, let reason):
            return "\(file): \(reason)"
        case .invalid(let file, let path, let message):
            return path.isEmpty ? "\(file): \(message)" : "\(file): \(path): \(message)"
        case .badArchitecture(let key, let message):
            return "architecture '\(key)': \(message)"
        }
    }
}
