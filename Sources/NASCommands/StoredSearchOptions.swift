import ArgumentParser
import NASSearch
import NASSpace
import NASStore

/// The arguments of the commands that report on one stored search (`status`, `best`): the
/// database, `--name` and `--format`, and the one way they open it (read-only).
struct StoredSearchOptions: ParsableArguments {
    @Argument(help: "Path of the search database.")
    var database: String

    @Option(help: "Name of the search (default: the only one).")
    var name: String?

    @Option(help: "Output format.")
    var format: OutputFormat = .text

    /// The database opened read-only and the search the options name.
    func open() throws -> (store: Store, search: SearchDefinition) {
        let store = try Store(path: database, readOnly: true)
        return (store, try SearchLookup.find(store: store, name: name))
    }
}
