import ArgumentParser
import NASStore

/// `layernas init DB`: create (or check and migrate) a search database.
struct InitCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "init",
        abstract: "Create a search database, or check and upgrade an existing one.",
        discussion: """
            Creates the SQLite file with the schema of this layernas version (WAL journal). On an \
            existing database, applies the migrations it lacks; a database written by a newer \
            layernas, or an SQLite file layernas did not create, is refused unchanged. \
            'layernas search' does this by itself; 'init' is for preparing a file up front.

            Example:
              layernas init runs/burger.db
              layernas init runs/burger.db --format json
            """
    )

    @Argument(help: "Path of the search database (created if missing).")
    var database: String

    @Option(help: "Output format.")
    var format: OutputFormat = .text

    func run() async throws {
        let store = try SetupLock.holding(forDatabase: database) { try Store(path: database) }
        try format.print(InitReport(database: database, migrations: try store.appliedMigrations()))
    }
}

/// What `init` prints: the file and the schema it now has.
struct InitReport: CommandReport {
    var database: String
    /// The last migration applied, which names the schema version.
    var schema: String?
    /// Every migration the file has, in order.
    var migrations: [String]

    init(database: String, migrations: [String]) {
        self.database = database
        schema = migrations.last
        self.migrations = migrations
    }

    var text: String {
        "\(database): layernas database, schema \(schema ?? "none") (\(migrations.count) migrations)\n"
    }
}
