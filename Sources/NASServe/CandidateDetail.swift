import Foundation
import GRDB
import NASQuery
import NASStore

/// Everything the candidate page shows: options and costs, the lineage back to the base model,
/// the learning curve from `epochs`, the events, and the tails of an external command's logs.
/// Its JSON is `/api/candidates/DB/ID`.
struct CandidateDetail: Encodable, Sendable {
    /// One ancestor: the parent first, the base model last.
    struct Ancestor: Encodable, Sendable {
        var id: Int64
        var arch: String
        var score: Double?
        var layer: Int?
    }

    struct Event: Encodable, Sendable {
        var at: String
        var kind: String
        var message: String
    }

    struct Epoch: Encodable, Sendable {
        var epoch: Int
        var trainLoss: Double?
        var trainAccuracy: Double?
        var validationAccuracy: Double?
        var seconds: Double?
    }

    var database: Int
    var searchID: Int64
    var search: String
    var id: Int64
    var seq: Int
    var arch: String
    /// `(layer name, chosen label)`, layer 1 first.
    var options: [Option]
    var status: String
    var score: Double?
    var cost: Double
    var madds: Int?
    var params: Int?
    var customCost: Double?
    var inWindow: Bool
    var layer: Int?
    var attempts: Int
    var error: String?
    var metricsJSON: String?
    var lineage: [Ancestor]
    var epochs: [Epoch]
    var events: [Event]
    /// Tails of `stdout.log` and `stderr.log` when the candidate has them.
    var logs: [String: String]

    struct Option: Encodable, Sendable {
        var layer: String
        var label: String
    }

    /// The longest parent chain followed, so a damaged file cannot loop the page.
    static let maximumLineage = 10_000

    /// Reads candidate `id` of the database at `index`; nil when either is unknown.
    static func read(in catalog: DashboardCatalog, database index: Int, id: Int64) throws -> CandidateDetail? {
        guard let database = catalog.database(index) else { return nil }
        let found = try database.read { db -> CandidateDetail? in
            guard let (record, searchID) = try DashboardReads.candidate(db, id: id),
                  let search = try DashboardReads.searchRecords(db).first(where: { $0.id == searchID }) else { return nil }
            let layerNames = try DashboardReads.layers(db, searchID: searchID).map(\.name)
            let options = record.optionLabels.enumerated().map { index, label in
                Option(layer: index < layerNames.count ? layerNames[index] : "layer \(index + 1)", label: label)
            }
            var lineage: [Ancestor] = []
            var next = record.parentID
            while let parentID = next, lineage.count < maximumLineage,
                  let (parent, _) = try DashboardReads.candidate(db, id: parentID) {
                lineage.append(Ancestor(id: parent.id, arch: parent.arch, score: parent.score, layer: parent.layer))
                next = parent.parentID
            }
            var epochs: [Epoch] = []
            let rows = try QueryReads.epochs(db, candidateID: id)
            while let row = try rows.next() {
                epochs.append(Epoch(epoch: row["epoch"], trainLoss: row["train_loss"], trainAccuracy: row["train_accuracy"],
                                    validationAccuracy: row["validation_accuracy"], seconds: row["seconds"]))
            }
            let events = try DashboardReads.events(db, searchID: searchID, candidateID: id).map {
                Event(at: $0.at, kind: $0.kind, message: $0.message)
            }
            return CandidateDetail(
                database: index, searchID: searchID, search: search.name, id: record.id, seq: record.seq, arch: record.arch,
                options: options, status: record.status.rawValue, score: record.score, cost: record.cost, madds: record.madds,
                params: record.params, customCost: record.customCost, inWindow: record.inWindow, layer: record.layer,
                attempts: record.attempts, error: record.error, metricsJSON: record.metricsJSON, lineage: lineage,
                epochs: epochs, events: events, logs: [:])
        }
        guard var detail = found else { return nil }
        for name in CandidateLogs.names {
            if let text = CandidateLogs.tail(database: database.path, candidateID: id, name: name) { detail.logs[name] = text }
        }
        return detail
    }
}
