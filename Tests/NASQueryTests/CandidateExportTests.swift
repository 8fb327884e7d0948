import Foundation
import GRDB
import NASSearch
import Testing
@testable import NASQuery

/// `export` writes every candidate with options, costs, status, score and lineage.
@Suite struct CandidateExportTests {
    @Test func everyCandidateWithTheRequiredColumns() throws {
        let fixture = try SearchFixture()
        let space = try SearchFixture.example("burger.yaml")
        try fixture.run(space, name: "layer")
        try fixture.run(try SearchFixture.example("fashion-mlp.yaml"), name: "mlp", buckets: 3, perBucket: 1, budget: 15)
        let database = try QueryDatabase(path: fixture.path)
        let text = try render(in: fixture.directory) { sink in
            try database.exportCandidates(selection: .all, format: .jsonl, to: sink)
        }
        let objects = try text.split(separator: "\n").map { line in
            try #require(try JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any])
        }
        let total = try fixture.read { db in try Int.fetchOne(db, sql: "SELECT count(*) FROM candidates") ?? 0 }
        #expect(objects.count == total)
        let required = ["search", "arch", "status", "score", "cost", "custom_cost", "madds", "params", "parent", "layer",
                        "parent_id", "in_window", "option_1", "option_4"]
        for key in required { #expect(objects[0][key] != nil, "\(key)") }
        let layer = objects.filter { $0["search"] as? String == "layer" }
        let mlp = objects.filter { $0["search"] as? String == "mlp" }
        #expect(layer.count + mlp.count == total)
        // Options rebuild the key; a child's parent is a candidate of the same search.
        for object in objects {
            let layers = object["search"] as? String == "layer" ? 3 : 4
            let labels = (1...layers).compactMap { object["option_\($0)"] as? String }
            #expect(labels.joined(separator: "-") == object["arch"] as? String)
        }
        let keys = Set(layer.compactMap { $0["arch"] as? String })
        #expect(layer.compactMap { $0["parent"] as? String }.allSatisfy(keys.contains))
        #expect(layer.contains { $0["parent"] is String })
        #expect(layer.allSatisfy { $0["option_4"] is NSNull && $0["madds"] is NSNull })
        #expect(mlp.allSatisfy { $0["madds"] is NSNumber && $0["custom_cost"] is NSNull })
        #expect(Set(objects.compactMap { $0["status"] as? String }).isSubset(of: ["evaluated", "dropped", "failed", "pending", "running"]))
    }

    @Test func columnsFollowTheFamilies() throws {
        let fixture = try SearchFixture.burger()
        let searches = try QueryDatabase(path: fixture.path).searches(.all)
        let columns = CandidateExport.columns(for: searches)
        #expect(columns.prefix(8) == ["search", "candidate_id", "seq", "arch", "status", "score", "target_metric", "cost"])
        #expect(columns.contains("custom_cost") && !columns.contains("madds"))
        #expect(columns.suffix(4) == ["option_1", "option_2", "option_3", "metrics_json"])
    }
}
