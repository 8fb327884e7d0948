import GRDB

/// The schema of a search database: the migrations of `migrations/`, carried in the binary.
package enum Schema {
    /// `PRAGMA application_id` of a layernas database ('LNAS'), set by the first migration.
    package static let applicationID: Int32 = 0x4C4E_4153

    /// Identifiers of the migrations this binary carries, in order (file names without `.sql`).
    package static var migrationIdentifiers: [String] { EmbeddedMigrations.all.map(\.identifier) }

    /// SQL of every migration, by identifier, exactly as this binary carries it.
    package static var migrationSQL: [(identifier: String, sql: String)] { EmbeddedMigrations.all }

    /// A migrator that applies every carried migration in order, each in its own transaction;
    /// GRDB records applied identifiers in `grdb_migrations`.
    static var migrator: DatabaseMigrator {
        var migrator = DatabaseMigrator()
        for migration in EmbeddedMigrations.all {
            migrator.registerMigration(migration.identifier) { db in
                try db.execute(sql: migration.sql)
            }
        }
        return migrator
    }
}
