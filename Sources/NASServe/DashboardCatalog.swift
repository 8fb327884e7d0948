import Foundation
import NASQuery

/// The databases a dashboard serves, opened read-only through the query layer (`QueryDatabase`:
/// `SQLITE_OPEN_READONLY` and `PRAGMA query_only`), so the server can never write to them and
/// never blocks a search writing the same file (docs/ARCHITECTURE.md#dashboard).
package final class DashboardCatalog: Sendable {
    /// The databases in the order given on the command line; URLs name them by this position.
    package let databases: [QueryDatabase]
    /// Whether a recorded owner ("host:pid@start") still runs, given its last heartbeat: a search
    /// recorded as running whose owner died is shown as stopped. Passed in by the command line,
    /// which owns that rule (`RunState`).
    let isOwnerAlive: @Sendable (String, Double?) -> Bool

    /// Opens every path and checks it is a layernas database.
    /// - Throws: `QueryError` naming the first path that is missing or not a layernas database.
    package init(paths: [String], isOwnerAlive: @escaping @Sendable (String, Double?) -> Bool) throws(QueryError) {
        var databases: [QueryDatabase] = []
        for path in paths {
            let database = try QueryDatabase(path: path)
            _ = try database.searches()
            databases.append(database)
        }
        self.databases = databases
        self.isOwnerAlive = isOwnerAlive
    }

    /// The database at URL position `index`, nil when there is none.
    func database(_ index: Int) -> QueryDatabase? {
        databases.indices.contains(index) ? databases[index] : nil
    }
}
