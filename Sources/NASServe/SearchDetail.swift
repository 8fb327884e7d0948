import Foundation
import GRDB
import NASQuery
import NASStore

/// Everything the search page shows besides its plots: the overview, the settings and spec as
/// stored, the layers with their options, and the per-layer store fill (a layer × bucket grid).
/// Its JSON is `/api/searches/DB/ID`.
struct SearchDetail: Encodable, Sendable {
    struct Layer: Encodable, Sendable {
        var layer: Int
        var name: String
        var buckets: Int
        var options: [String]
    }

    struct Bucket: Encodable, Sendable {
        var layer: Int
        var bucket: Int
        var kept: Int
        var evicted: Int
        var bestScore: Double?
    }

    var search: SearchOverview
    /// `settings_json` and `space_json` as stored (text, shown verbatim and escaped).
    var settingsJSON: String
    var spaceJSON: String
    var layers: [Layer]
    var storeFill: [Bucket]

    /// Reads the search `searchID` of the database at `index`; nil when either is unknown.
    static func read(in catalog: DashboardCatalog, database index: Int, searchID: Int64) throws -> SearchDetail? {
        guard let database = catalog.database(index) else { return nil }
        return try database.read { db -> SearchDetail? in
            guard let record = try DashboardReads.searchRecords(db).first(where: { $0.id == searchID }) else { return nil }
            let overview = try SearchOverview(record: record, database: index, path: database.path, db: db, isOwnerAlive: catalog.isOwnerAlive)
            let layers = try Self.layers(db, searchID: searchID)
            let fill = try DashboardReads.bucketFill(db, searchID: searchID).map {
                Bucket(layer: $0.layer, bucket: $0.bucket, kept: $0.kept, evicted: $0.evicted, bestScore: $0.bestScore)
            }
            return SearchDetail(search: overview, settingsJSON: record.settingsJSON, spaceJSON: record.spaceJSON, layers: layers, storeFill: fill)
        }
    }

    /// The name and layers of a search, nil when either is unknown: all the candidate table page
    /// needs (no counts, no store fill, so a page stays fast on a million candidates).
    static func nameAndLayers(in catalog: DashboardCatalog, database index: Int, searchID: Int64) throws -> (name: String, layers: [Layer])? {
        guard let database = catalog.database(index) else { return nil }
        return try database.read { db -> (name: String, layers: [Layer])? in
            guard let record = try DashboardReads.searchRecords(db).first(where: { $0.id == searchID }) else { return nil }
            return (record.name, try Self.layers(db, searchID: searchID))
        }
    }

    static func layers(_ db: Database, searchID: Int64) throws -> [Layer] {
        let options = try DashboardReads.optionLabels(db, searchID: searchID)
        return try DashboardReads.layers(db, searchID: searchID).map {
            Layer(layer: $0.layer, name: $0.name, buckets: $0.buckets, options: options[$0.layer] ?? [])
        }
    }
}
