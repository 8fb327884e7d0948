import NASSearch
import NASSpace
import NASStore

/// Finds the search a read-only command is about: `--name`, or the only one in the file.
enum SearchLookup {
    static func find(store: Store, name: String?) throws -> (record: SearchRecord, space: SearchSpace, settings: SearchSettings) {
        let choice = SearchChoice.choose(name, among: try store.searches(), nameOf: \.name)
        guard case .found(let record) = choice else {
            throw CommandFailure(status: .badInput, description: choice.refusal(path: store.path, severalAdvice: "choose one with --name") ?? "")
        }
        guard let space = JSONText.decode(SearchSpace.self, from: record.spaceJSON),
              let settings = JSONText.decode(SearchSettings.self, from: record.settingsJSON) else {
            throw CommandFailure(status: .failure, description: "\(store.path): search '\(record.name)' cannot be read by this layernas version")
        }
        return (record, space, settings)
    }
}
