import Foundation
import GRDB
import NASQuery
import NASStore

/// One search as the searches list and the live search page show it: status (a dead owner shown
/// as stopped), candidate counts, progress, best, elapsed time and ETA. Its JSON is the
/// `/api/searches` entry (README "Dashboard").
struct SearchOverview: Encodable, Sendable {
    var database: Int
    var databasePath: String
    var id: Int64
    var name: String
    var strategy: String
    var evaluator: String
    var status: String
    var stopReason: String?
    var owner: String?
    var evaluated: Int
    var pending: Int
    var running: Int
    var failed: Int
    var dropped: Int
    var budget: Int?
    var bestCandidateID: Int64?
    var bestScore: Double?
    var targetMetric: String
    var targetMin: Double
    var targetMax: Double
    var elapsedSeconds: Double
    /// Seconds left at the rate so far, while the search runs with a budget.
    var etaSeconds: Double?
    var createdAt: String
    var updatedAt: String

    /// Reads the overview of `record` inside one read transaction.
    init(record: SearchRecord, database: Int, path: String, db: Database, isOwnerAlive: (String, Double?) -> Bool) throws {
        self.database = database
        databasePath = path
        id = record.id
        name = record.name
        strategy = record.strategy.rawValue
        evaluator = record.evaluator
        status = record.status.rawValue
        stopReason = record.stopReason
        owner = record.owner
        if record.status == .running, let owner = record.owner, !isOwnerAlive(owner, record.ownerHeartbeatAt) {
            status = SearchStatus.stopped.rawValue
            stopReason = "process \(owner) is gone; run the same command to resume"
        }
        let counts = try DashboardReads.statusCounts(db, searchID: record.id)
        evaluated = counts[CandidateStatus.evaluated.rawValue] ?? 0
        pending = counts[CandidateStatus.pending.rawValue] ?? 0
        running = counts[CandidateStatus.running.rawValue] ?? 0
        failed = counts[CandidateStatus.failed.rawValue] ?? 0
        dropped = counts[CandidateStatus.dropped.rawValue] ?? 0
        budget = record.budget
        bestCandidateID = try QueryReads.answerID(db, searchID: record.id)
        bestScore = try bestCandidateID.flatMap { try DashboardReads.candidate(db, id: $0)?.record.score }
        targetMetric = record.targetMetric
        targetMin = record.targetMin
        targetMax = record.targetMax
        elapsedSeconds = record.elapsedSeconds
        if status == SearchStatus.running.rawValue, let budget, evaluated > 0, budget > evaluated {
            etaSeconds = record.elapsedSeconds / Double(evaluated) * Double(budget - evaluated)
        }
        createdAt = record.createdAt
        updatedAt = record.updatedAt
    }

    /// Every search of every database of `catalog`, database by database, in creation order.
    static func all(in catalog: DashboardCatalog) throws -> [SearchOverview] {
        var overviews: [SearchOverview] = []
        for (index, database) in catalog.databases.enumerated() {
            overviews += try database.read { db in
                try DashboardReads.searchRecords(db).map { record in
                    try SearchOverview(record: record, database: index, path: database.path, db: db, isOwnerAlive: catalog.isOwnerAlive)
                }
            }
        }
        return overviews
    }

    /// One search by database position and id; nil when either is unknown.
    static func one(in catalog: DashboardCatalog, database index: Int, searchID: Int64) throws -> SearchOverview? {
        guard let database = catalog.database(index) else { return nil }
        return try database.read { db in
            try DashboardReads.searchRecords(db).first { $0.id == searchID }.map { record in
                try SearchOverview(record: record, database: index, path: database.path, db: db, isOwnerAlive: catalog.isOwnerAlive)
            }
        }
    }
}
