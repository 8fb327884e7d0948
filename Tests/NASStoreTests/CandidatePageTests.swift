import Foundation
import GRDB
import NASTestSupport
import Testing
@testable import NASStore

/// The dashboard's candidate table pages (`DashboardReads.candidatePage`): the right rows in the
/// right order for every sort and filter, and answered from an index without sorting, which is
/// what keeps a page fast on a million candidates (timed in `make bench`, not here).
@Suite struct CandidatePageTests {
    struct Fixture {
        let directory: TemporaryDirectory
        let store: Store
    }

    /// Two searches; the first has 240 candidates of every status, with NULLs, ties and repeated
    /// values in every sortable column, and ids that do not follow `seq` everywhere.
    private func storeWithCandidates() throws -> Fixture {
        let directory = try TemporaryDirectory()
        let store = try Store(path: directory.path("search.db"))
        let statuses = ["pending", "running", "evaluated", "evaluated", "failed", "dropped", "evaluated"]
        try store.write { db in
            for search in 1...2 {
                try db.execute(sql: """
                    INSERT INTO searches (id, name, strategy, space_name, family, space_json, settings_json, evaluator,
                                          seed, target_metric, target_min, target_max)
                    VALUES (?, ?, 'random', 'space', 'custom', '{}', '{}', 'synthetic', 1, 'cost', 8, 9)
                    """, arguments: [search, "s\(search)"])
            }
            for i in 0..<260 {
                let search = i < 240 ? 1 : 2
                let status = statuses[i % statuses.count]
                let evaluated = status == "evaluated"
                try db.execute(sql: """
                    INSERT INTO candidates (id, search_id, arch, options_json, cost, madds, params, custom_cost, in_window,
                                            status, score, parent_id, layer, seq, attempts, seconds, lease_owner)
                    VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
                    """, arguments: [
                        i + 1, search, "a\((i * 37) % 260)", "[\"o\(i % 3)\",\"o\(i % 4)\"]", Double(i % 13) / 2,
                        i % 5 == 0 ? nil : (i * 7919) % 101, i % 9, i % 4 == 0 ? nil : Double(i % 6),
                        i % 3 == 0 ? 1 : 0, status, evaluated ? Double((i * 31) % 17) / 16 : nil,
                        i >= 3 ? i / 3 + 1 : nil, i % 11 == 0 ? nil : 1 + i % 4,
                        (i * 7) % 260 + 1, i % 3, evaluated || status == "failed" ? Double(i % 7) : nil,
                        status == "running" ? "host:1@1" : nil,
                    ])
            }
        }
        return Fixture(directory: directory, store: store)
    }

    /// The filters the table offers, alone and combined (the option filter on its own: it reads rows).
    private var filters: [DashboardReads.CandidateFilter] {
        [
            .init(),
            .init(status: .evaluated),
            .init(status: .failed),
            .init(inWindow: true),
            .init(inWindow: false),
            .init(layer: 2),
            .init(status: .evaluated, inWindow: true),
            .init(status: .evaluated, layer: 3),
            .init(status: .dropped, inWindow: false, layer: 1),
            .init(option: (layer: 2, label: "o1")),
        ]
    }

    @Test func everySortAndFilterGivesTheRowsSQLiteOrderWould() throws {
        let fixture = try storeWithCandidates()
        try fixture.store.read { db in
            for column in DashboardReads.tableColumns {
                // Every candidate of search 1 with the sorted column and the filtered ones, read plainly.
                let all = try Row.fetchAll(db, sql: """
                    SELECT id, \(column) AS value, status, in_window, layer, options_json FROM candidates WHERE search_id = 1
                    """)
                for filter in filters {
                    let passing = all.filter { row in
                        (filter.status.map { row["status"] == $0.rawValue } ?? true)
                            && (filter.inWindow.map { (row["in_window"] as Int) == ($0 ? 1 : 0) } ?? true)
                            && (filter.layer.map { (row["layer"] as Int?) == $0 } ?? true)
                            && (filter.option.map { option in
                                let labels = try? JSONDecoder().decode([String].self, from: Data((row["options_json"] as String).utf8))
                                return labels?[option.layer - 1] == option.label
                            } ?? true)
                    }
                    for descending in [false, true] {
                        let ascendingOrder = passing.sorted { Self.sqliteLess($0, $1) }
                        let expected = (descending ? Array(ascendingOrder.reversed()) : ascendingOrder).map { $0["id"] as Int64 }
                        for (limit, offset) in [(25, 0), (25, 37), (1000, 0), (10, expected.count)] {
                            let page = try DashboardReads.candidatePage(
                                db, searchID: 1, filter: filter, sortColumn: column, descending: descending, limit: limit, offset: offset)
                            let wanted = Array(expected.dropFirst(offset).prefix(limit))
                            #expect(page.map { $0["id"] as Int64 } == wanted,
                                    "sort \(column) \(descending ? "desc" : "asc"), filter \(filter), offset \(offset)")
                        }
                    }
                }
            }
        }
    }

    @Test func everyPageIsReadFromAnIndexWithoutSorting() throws {
        let fixture = try storeWithCandidates()
        try fixture.store.read { db in
            for column in DashboardReads.tableColumns {
                for filter in filters where filter.option == nil {
                    for descending in [false, true] {
                        let query = DashboardReads.pageIDs(searchID: 1, filter: filter, sortColumn: column, descending: descending,
                                                           limit: 50, offset: 500)
                        let plan = try Row.fetchAll(db, sql: "EXPLAIN QUERY PLAN " + query.sql, arguments: query.arguments)
                            .map { $0["detail"] as String }.joined(separator: " | ")
                        let context = "sort \(column) \(descending ? "desc" : "asc"), filter \(filter): \(plan)"
                        #expect(!plan.contains("TEMP B-TREE"), "\(context)")
                        #expect(plan.contains("COVERING INDEX"), "\(context)")
                    }
                }
            }
        }
    }

    /// SQLite's ascending order on the `value` column: NULL first, numbers by value, then text;
    /// ties by id.
    private static func sqliteLess(_ left: Row, _ right: Row) -> Bool {
        let a = left["value"] as DatabaseValue
        let b = right["value"] as DatabaseValue
        func rank(_ value: DatabaseValue) -> Int {
            switch value.storage {
            case .null: return 0
            case .int64, .double: return 1
            case .string: return 2
            case .blob: return 3
            }
        }
        if rank(a) != rank(b) { return rank(a) < rank(b) }
        switch (a.storage, b.storage) {
        case let (.string(x), .string(y)) where x != y: return x < y
        default:
            if let x = Double.fromDatabaseValue(a), let y = Double.fromDatabaseValue(b), x != y { return x < y }
        }
        return (left["id"] as Int64) < (right["id"] as Int64)
    }
}
