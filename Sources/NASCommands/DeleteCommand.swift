import ArgumentParser
import Foundation
import NASSearch
import NASStore

/// `layernas delete DB --name N`: removes one whole search (docs/ARCHITECTURE.md#deleting-a-search).
struct DeleteCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "delete",
        abstract: "Delete a search with all its candidates, results and working directories.",
        discussion: """
            Removes the search and every row that belongs to it in one transaction, and the working directories of its candidates in <database>-artifacts/. Other searches in the file are untouched. On a terminal it asks first; elsewhere it needs --yes. A search a live process runs is refused: stop it first.

            Example:
              layernas delete runs/mlp.db --name fashion-cnn
              layernas delete runs/mlp.db --name fashion-cnn --yes
            """
    )

    @Argument(help: "Path of the search database.")
    var database: String

    @Option(help: "Name of the search to delete (required: a delete never guesses).")
    var name: String

    @Flag(help: "Delete without asking.")
    var yes = false

    func run() async throws {
        try ManagedSearch.checkExists(database)
        // Refused before the file is opened for writing: a refused command leaves it byte for byte.
        guard yes || isatty(STDIN_FILENO) == 1 else {
            throw CommandFailure(status: .badInput, description: "delete: give --yes to delete search '\(name)' from \(database) without a terminal to confirm")
        }
        let (store, record) = try ManagedSearch.open(database: database, name: name)
        if !yes {
            let counts = try store.statusCounts(searchID: record.id)
            let evaluated = counts[.evaluated] ?? 0
            let total = counts.values.reduce(0, +)
            FileHandle.standardError.write(Data("delete search '\(name)' from \(database): \(total) candidates, \(evaluated) evaluated? [y/N] ".utf8))
            let answer = readLine()?.trimmingCharacters(in: .whitespaces).lowercased() ?? ""
            guard answer == "y" || answer == "yes" else {
                FileHandle.standardError.write(Data("nothing deleted\n".utf8))
                return
            }
        }
        let root = ArtifactsDirectory.defaultRoot(database: database)
        let path = database
        let deleted = try store.deleteSearch(
            searchID: record.id,
            isAlive: { ProcessIdentity.isAlive(owner: $0, heartbeat: $1) },
            removeFiles: { ids in
                _ = try ArtifactsDirectory.removeWorkingDirectories(root: root, database: path, candidateIDs: ids)
            })
        print("deleted search '\(deleted.name)' from \(database): \(deleted.candidates) candidates, \(deleted.evaluated) evaluated")
    }
}
