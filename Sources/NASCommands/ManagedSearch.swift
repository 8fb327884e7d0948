import Foundation
import NASStore

/// Opens the database `delete` or `rename` changes and finds the search: a missing path is "no
/// such database" and no file is created; a file of an older layernas is upgraded, as `search`
/// upgrades it; a search whose stored space this binary cannot read can still be deleted or renamed.
enum ManagedSearch {
    static func open(database: String, name: String?) throws -> (store: Store, record: SearchRecord) {
        try checkExists(database)
        let store = try Store(path: database)
        let choice = SearchChoice.choose(name, among: try store.searches(), nameOf: \.name)
        guard case .found(let record) = choice else {
            throw CommandFailure(status: .badInput, description: choice.refusal(path: database, severalAdvice: "choose one with --name") ?? "")
        }
        return (store, record)
    }

    /// Refuses a path that names no file (or no regular file) before anything opens it.
    static func checkExists(_ database: String) throws {
        try DatabasePath.checkKind(database)
        guard FileManager.default.fileExists(atPath: database) else {
            throw StoreError.missing(path: database)
        }
    }
}
