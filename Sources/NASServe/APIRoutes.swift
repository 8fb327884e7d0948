import Foundation
import Hummingbird
import NASQuery

/// The JSON API under `/api` (README "Dashboard"): the same data as the pages.
enum APIRoutes {
    /// One history point of `/api/searches/DB/ID/history`.
    struct HistoryPoint: Encodable {
        var evaluation: Int
        var candidateID: Int64
        var arch: String
        var score: Double
        var cost: Double
        var inWindow: Bool
        var layer: Int64?
        var bestCandidateID: Int64?
        var bestScore: Double?
    }

    /// One front member of `/api/searches/DB/ID/front`.
    struct FrontPoint: Encodable {
        var candidateID: Int64
        var arch: String
        var options: [String]
        var score: Double
        var cost: Double
        var inWindow: Bool
        var layer: Int64?
        var values: [Double]
    }

    struct Front: Encodable {
        var objectives: [String]
        var considered: Int
        var front: [FrontPoint]
        var answer: FrontPoint?
    }

    static func add(to router: Router<BasicRequestContext>, catalog: DashboardCatalog) {
        router.get("/api/searches") { _, _ in
            Reply.guarded(api: true) { Reply.json(try SearchOverview.all(in: catalog)) }
        }
        router.get("/api/searches/:db/:search") { _, context in
            Reply.guarded(api: true) {
                let (index, searchID) = try RouteParameters.search(context)
                guard let detail = try SearchDetail.read(in: catalog, database: index, searchID: searchID) else {
                    return RouteParameters.noSearch(index, searchID, api: true)
                }
                return Reply.json(detail)
            }
        }
        router.get("/api/searches/:db/:search/candidates") { request, context in
            Reply.guarded(api: true) {
                let (index, searchID) = try RouteParameters.search(context)
                let tableRequest = try CandidateTableRequest { request.uri.queryParameters.get($0) }
                guard let database = catalog.database(index),
                      let table = try CandidateTable.read(database, searchID: searchID, request: tableRequest) else {
                    return RouteParameters.noSearch(index, searchID, api: true)
                }
                return Reply.json(table)
            }
        }
        router.get("/api/searches/:db/:search/history") { _, context in
            Reply.guarded(api: true) {
                let (index, searchID) = try RouteParameters.search(context)
                guard let history = try DashboardPlots.historyReport([.init(database: index, searchID: searchID)], in: catalog)?.searches.first else {
                    return RouteParameters.noSearch(index, searchID, api: true)
                }
                return Reply.json(history.points.map {
                    HistoryPoint(evaluation: $0.evaluation, candidateID: $0.candidateID, arch: $0.arch, score: $0.score, cost: $0.cost,
                                 inWindow: $0.inWindow, layer: $0.layer, bestCandidateID: $0.bestCandidateID, bestScore: $0.bestScore)
                })
            }
        }
        router.get("/api/searches/:db/:search/front") { _, context in
            Reply.guarded(api: true) {
                let (index, searchID) = try RouteParameters.search(context)
                guard let report = try DashboardPlots.paretoReport([.init(database: index, searchID: searchID)], in: catalog),
                      let front = report.searches.first else {
                    return RouteParameters.noSearch(index, searchID, api: true)
                }
                func point(_ member: ParetoPoint) -> FrontPoint {
                    FrontPoint(candidateID: member.candidateID, arch: member.arch, options: member.options, score: member.score,
                               cost: member.cost, inWindow: member.inWindow, layer: member.layer, values: member.values)
                }
                return Reply.json(Front(objectives: report.objectives.map(\.description), considered: front.considered,
                                        front: front.front.map(point), answer: front.answer.map(point)))
            }
        }
        router.get("/api/candidates/:db/:candidate") { _, context in
            Reply.guarded(api: true) {
                let (index, id) = try RouteParameters.candidate(context)
                guard let detail = try CandidateDetail.read(in: catalog, database: index, id: id) else {
                    return RouteParameters.noCandidate(index, id, api: true)
                }
                return Reply.json(detail)
            }
        }
    }
}
