/// The one rule for which search of a file a command is about: the search named by `--name`,
/// else the only one. Commands word the refusal for what they can do next (`search` can create
/// a search, `query` can take `--all`), so the outcome says why and the caller writes the line.
package enum SearchChoice<Search> {
    /// The named search, or the only one.
    case found(Search)
    /// The file holds no search.
    case noSearchYet
    /// No name given and the file holds several searches (their names, in creation order).
    case several(names: [String])
    /// No search has the given name (the names there are, in creation order).
    case noSuchName(String, available: [String])

    /// Applies the rule to `searches` (in creation order).
    package static func choose(_ name: String?, among searches: [Search], nameOf: (Search) -> String) -> SearchChoice {
        if let name {
            guard let found = searches.first(where: { nameOf($0) == name }) else {
                return .noSuchName(name, available: searches.map(nameOf))
            }
            return .found(found)
        }
        switch searches.count {
        case 0: return .noSearchYet
        case 1: return .found(searches[0])
        default: return .several(names: searches.map(nameOf))
        }
    }

    /// The refusal as one line about `path` (nil for `.found`); `advice` ends the line about
    /// several searches, e.g. "choose one with --name".
    package func refusal(path: String, severalAdvice: String, unknownAdvice: String? = nil) -> String? {
        switch self {
        case .found:
            return nil
        case .noSearchYet:
            return "\(path): holds no search yet"
        case .several(let names):
            return "\(path): holds several searches (\(names.joined(separator: ", "))); \(severalAdvice)"
        case .noSuchName(let name, let available):
            let list = available.isEmpty ? "none" : available.joined(separator: ", ")
            return "\(path): no search named '\(name)' (searches: \(list))" + (unknownAdvice.map { "; \($0)" } ?? "")
        }
    }
}
