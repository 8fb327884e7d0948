import ArgumentParser
import NASStore

/// `layernas init DB`: create (or check and migrate) a search database.
struct InitCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "init",
        abstract: "Create a search database, or check and upgrade an existing one.",
        discussion: """
            Creates the SQLite file with the schema of this layernas version (WAL journal). On an \
            existing database, applies the migrations it lacks; a database written by a newer
            layernas, or an SQLite file layernas did not create, is refused unchanged.
            'layernas search' does this by itself; 'init' is for preparing a file up front.

            Example:
              layernas init runs/burger.db
            """
    )

    @Argument(help: "Path of the search database (created if missing).")
    var database: String

    func run() async throws {
        let store = try SetupLock.holding(forDatabase: database) { try Store(path: database) }
        let applied = try store.appliedMigrations()
        print("\(database): layernas database, schema \(applied.last ?? "none") (\(applied.count) migrations)")
    }
}
