import NASSearch
import NASStore

/// Finds the search a read-only command is about: `--name`, or the only one in the file.
enum SearchLookup {
    static func find(store: Store, name: String?) throws -> SearchDefinition {
        let choice = SearchChoice.choose(name, among: try store.searches(), nameOf: \.name)
        guard case .found(let record) = choice else {
            throw CommandFailure(status: .badInput, description: choice.refusal(path: store.path, severalAdvice: "choose one with --name") ?? "")
        }
        do {
            return try SearchDefinition(record: record, path: store.path)
        } catch {
            // The file holds a search this binary cannot read or must not trust (edited by hand):
            // a wrong file, as `search` reports it.
            throw CommandFailure(status: .badInput, description: error.description)
        }
    }
}
