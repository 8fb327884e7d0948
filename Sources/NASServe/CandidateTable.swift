import Foundation
import GRDB
import NASQuery
import NASStore

/// One page of a search's candidate table, sorted and filtered on the server. Its JSON is
/// `/api/searches/DB/ID/candidates`: `total` (rows passing the filter), `totalIsExact`, `page`,
/// `size`, `rows`. A filter no index answers alone (one on an option) is counted only up to
/// `countAhead` pages past the one shown, so a page stays fast on a million candidates; `total`
/// is then a lower bound and `totalIsExact` false.
struct CandidateTable: Encodable, Sendable {
    /// One candidate row: the table's columns.
    struct Row: Encodable, Sendable {
        var id: Int64
        var seq: Int64
        var arch: String
        var status: String
        var score: Double?
        var cost: Double?
        var madds: Int64?
        var params: Int64?
        var customCost: Double?
        var inWindow: Bool
        var layer: Int64?
        var parentID: Int64?
        var attempts: Int64
        var seconds: Double?
    }

    var total: Int
    var totalIsExact: Bool
    var page: Int
    var size: Int
    var sort: String
    var order: String
    var rows: [Row]

    var pageCount: Int { max(1, (total + size - 1) / size) }

    /// Pages past the shown one that a slow filter is counted for.
    static let countAhead = 20

    /// Reads one page; nil when the search is unknown.
    static func read(_ database: QueryDatabase, searchID: Int64, request: CandidateTableRequest) throws -> CandidateTable? {
        try database.read { db -> CandidateTable? in
            guard try DashboardReads.searchRecords(db).contains(where: { $0.id == searchID }) else { return nil }
            let (offset, overflow) = (request.page - 1).multipliedReportingOverflow(by: request.size)
            let limit = DashboardReads.isIndexed(request.filter) || overflow
                ? nil : offset + (Self.countAhead + 1) * request.size + 1
            let total = try DashboardReads.candidateCount(db, searchID: searchID, filter: request.filter, limit: limit)
            let rows = overflow ? [] : try DashboardReads.candidatePage(
                db, searchID: searchID, filter: request.filter, sortColumn: request.sort, descending: request.descending,
                limit: request.size, offset: offset)
            return CandidateTable(
                total: total, totalIsExact: limit.map { total < $0 } ?? true, page: request.page, size: request.size, sort: request.sort,
                order: request.descending ? "desc" : "asc", rows: rows.map(Self.row))
        }
    }

    static func row(_ row: GRDB.Row) -> Row {
        Row(id: row["id"], seq: row["seq"], arch: row["arch"] ?? "", status: row["status"] ?? "", score: row["score"],
            cost: row["cost"], madds: row["madds"], params: row["params"], customCost: row["custom_cost"],
            inWindow: (row["in_window"] as Int64? ?? 0) != 0, layer: row["layer"], parentID: row["parent_id"],
            attempts: row["attempts"] ?? 0, seconds: row["seconds"])
    }

    /// The whole filtered table as CSV (header, then one line per candidate in generation order,
    /// with the option labels last), quoted as `layernas query --format csv` quotes.
    static func csv(_ database: QueryDatabase, searchID: Int64, filter: DashboardReads.CandidateFilter) throws -> String {
        try database.read { db in
            let columns = DashboardReads.tableColumns + ["options_json"]
            var lines = [columns.map(CSVFormat.quoted).joined(separator: ",")]
            let cursor = try DashboardReads.allCandidates(db, searchID: searchID, filter: filter)
            while let row = try cursor.next() {
                lines.append(columns.indices.map { index in
                    CSVFormat.quoted(Self.text(row[index] as DatabaseValue))
                }.joined(separator: ","))
            }
            return lines.joined(separator: "\n") + "\n"
        }
    }

    /// A stored value as CSV text: empty for NULL, numbers as Swift prints them.
    static func text(_ value: DatabaseValue) -> String {
        switch value.storage {
        case .null: return ""
        case .int64(let number): return String(number)
        case .double(let number): return number.description
        case .string(let text): return text
        case .blob(let data): return data.map { String(format: "%02x", $0) }.joined()
        }
    }
}
