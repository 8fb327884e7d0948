import ArgumentParser
import Foundation
import NASStore

/// `layernas rename DB --name OLD NEW`.
struct RenameCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "rename",
        abstract: "Give a search a new name.",
        discussion: """
            Names are unique within a database. A search a live process runs is refused: stop it first, rename it, then resume it with --name NEW.

            Example:
              layernas rename runs/mlp.db --name fashion-mlp mlp-80
            """
    )

    @Argument(help: "Path of the search database.")
    var database: String

    @Option(help: "Current name of the search (default: the only one).")
    var name: String?

    @Argument(help: "The new name (1 to 200 characters).")
    var newName: String

    func run() async throws {
        guard (1...200).contains(newName.count), !newName.contains(where: { $0.isNewline }) else {
            throw CommandFailure(status: .badInput, description: "rename: the new name must be 1 to 200 characters on one line, got '\(newName)'")
        }
        let (store, record) = try ManagedSearch.open(database: database, name: name)
        try store.renameSearch(searchID: record.id, to: newName, isAlive: { ProcessIdentity.isAlive(owner: $0, heartbeat: $1) })
        print("renamed search '\(record.name)' to '\(newName)' in \(database)")
    }
}
