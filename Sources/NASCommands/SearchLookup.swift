import NASSearch
import NASSpace
import NASStore

/// Finds the search a read-only command is about: `--name`, or the only one in the file.
enum SearchLookup {
    static func find(store: Store, name: String?) throws -> (record: SearchRecord, space: SearchSpace, settings: SearchSettings) {
        let searches = try store.searches()
        let record: SearchRecord
        if let name {
            guard let found = searches.first(where: { $0.name == name }) else {
                let names = searches.map(\.name).joined(separator: ", ")
                throw CommandFailure(status: .badInput, description: "\(store.path): no search named '\(name)' (searches: \(names.isEmpty ? "none" : names))")
            }
            record = found
        } else if searches.count == 1 {
            record = searches[0]
        } else if searches.isEmpty {
            throw CommandFailure(status: .badInput, description: "\(store.path): holds no search yet")
        } else {
            throw CommandFailure(status: .badInput, description: "\(store.path): holds several searches (\(searches.map(\.name).joined(separator: ", "))); choose one with --name")
        }
        guard let space = JSONText.decode(SearchSpace.self, from: record.spaceJSON),
              let settings = JSONText.decode(SearchSettings.self, from: record.settingsJSON) else {
            throw CommandFailure(status: .failure, description: "\(store.path): search '\(record.name)' cannot be read by this layernas version")
        }
        return (record, space, settings)
    }
}
