import Foundation
import Hummingbird
import NASQuery

/// The HTML pages, plots, CSV and log files of the dashboard (README "Dashboard").
enum DashboardRoutes {
    static func add(to router: Router<BasicRequestContext>, catalog: DashboardCatalog) {
        router.get("/dashboard.js") { _, _ in
            Reply.make(type: "text/javascript; charset=utf-8", DashboardAssets.script)
        }
        router.get("/dashboard.css") { _, _ in
            Reply.make(type: "text/css; charset=utf-8", DashboardAssets.stylesheet)
        }
        router.get("/") { _, _ in
            Reply.guarded(api: false) {
                Reply.html(SearchListPage.html(try SearchOverview.all(in: catalog), databases: catalog.databases.map(\.path)))
            }
        }
        router.get("/searches/:db/:search") { _, context in
            Reply.guarded(api: false) {
                let (index, searchID) = try RouteParameters.search(context)
                guard let detail = try SearchDetail.read(in: catalog, database: index, searchID: searchID) else {
                    return RouteParameters.noSearch(index, searchID, api: false)
                }
                let key = DashboardPlots.SearchKey(database: index, searchID: searchID)
                let history = detail.search.evaluated > 0 ? try DashboardPlots.historySVG([key], in: catalog) : nil
                let pareto = detail.search.evaluated > 0 ? try DashboardPlots.paretoSVG([key], in: catalog) : nil
                return Reply.html(SearchPage.html(detail, historySVG: history, paretoSVG: pareto))
            }
        }
        router.get("/searches/:db/:search/history.svg") { _, context in
            Reply.guarded(api: false) {
                let (index, searchID) = try RouteParameters.search(context)
                guard let svg = try DashboardPlots.historySVG([.init(database: index, searchID: searchID)], in: catalog) else {
                    return RouteParameters.noSearch(index, searchID, api: false)
                }
                return Reply.svg(svg)
            }
        }
        router.get("/searches/:db/:search/pareto.svg") { _, context in
            Reply.guarded(api: false) {
                let (index, searchID) = try RouteParameters.search(context)
                guard let svg = try DashboardPlots.paretoSVG([.init(database: index, searchID: searchID)], in: catalog) else {
                    return RouteParameters.noSearch(index, searchID, api: false)
                }
                return Reply.svg(svg)
            }
        }
        router.get("/searches/:db/:search/candidates") { request, context in
            Reply.guarded(api: false) {
                let (index, searchID) = try RouteParameters.search(context)
                let tableRequest = try CandidateTableRequest { request.uri.queryParameters.get($0) }
                guard let (name, layers) = try SearchDetail.nameAndLayers(in: catalog, database: index, searchID: searchID),
                      let database = catalog.database(index),
                      let table = try CandidateTable.read(database, searchID: searchID, request: tableRequest) else {
                    return RouteParameters.noSearch(index, searchID, api: false)
                }
                return Reply.html(CandidateTablePage.html(
                    database: index, searchID: searchID, name: name, layers: layers, table: table, request: tableRequest))
            }
        }
        router.get("/searches/:db/:search/candidates.csv") { request, context in
            Reply.guarded(api: false) {
                let (index, searchID) = try RouteParameters.search(context)
                let tableRequest = try CandidateTableRequest { request.uri.queryParameters.get($0) }
                guard let search = try SearchOverview.one(in: catalog, database: index, searchID: searchID),
                      let database = catalog.database(index) else {
                    return RouteParameters.noSearch(index, searchID, api: false)
                }
                let csv = try CandidateTable.csv(database, searchID: searchID, filter: tableRequest.filter)
                return Reply.csv(csv, fileName: "candidates-\(search.database)-\(search.id).csv")
            }
        }
        router.get("/candidates/:db/:candidate") { _, context in
            Reply.guarded(api: false) {
                let (index, id) = try RouteParameters.candidate(context)
                guard let detail = try CandidateDetail.read(in: catalog, database: index, id: id), let database = catalog.database(index) else {
                    return RouteParameters.noCandidate(index, id, api: false)
                }
                return Reply.html(CandidatePage.html(detail, curvesSVG: DashboardPlots.curvesSVG(database, candidateID: id)))
            }
        }
        router.get("/candidates/:db/:candidate/curves.svg") { _, context in
            Reply.guarded(api: false) {
                let (index, id) = try RouteParameters.candidate(context)
                guard let database = catalog.database(index) else { return RouteParameters.noCandidate(index, id, api: false) }
                let report = try database.curvesReport(candidateIDs: [id])
                return Reply.svg(CurvesPlot.svg(report))
            }
        }
        router.get("/candidates/:db/:candidate/logs/:name") { _, context in
            Reply.guarded(api: false) {
                let (index, id) = try RouteParameters.candidate(context)
                let name = context.parameters.get("name") ?? ""
                guard CandidateLogs.names.contains(name) else {
                    return Reply.failure(.notFound, "\(name): not a log; only \(CandidateLogs.names.joined(separator: " and ")) of a candidate's working directory are served", api: false)
                }
                guard let database = catalog.database(index),
                      let text = CandidateLogs.tail(database: database.path, candidateID: id, name: name) else {
                    return Reply.failure(.notFound, "candidate \(id) of database \(index) has no \(name)", api: false)
                }
                return Reply.text(text)
            }
        }
        router.get("/compare") { request, _ in
            Reply.guarded(api: false) {
                let keys = try RouteParameters.searchKeys(request)
                let all = try SearchOverview.all(in: catalog)
                let history = keys.isEmpty ? nil : try DashboardPlots.historySVG(keys, in: catalog)
                let objectives = request.uri.queryParameters.get("objectives")
                let pareto = keys.isEmpty ? nil : try DashboardPlots.paretoSVG(keys, objectives: objectives, in: catalog)
                if !keys.isEmpty && (history == nil || pareto == nil) {
                    return Reply.failure(.notFound, "search=\(keys.map(\.text).joined(separator: ",")): a search is not served here", api: false)
                }
                return Reply.html(ComparePage.html(all: all, chosen: keys, objectives: objectives ?? "", historySVG: history, paretoSVG: pareto))
            }
        }
    }
}

/// The numbers in a route's path and query, checked: a wrong one is a 400 naming it.
enum RouteParameters {
    static func number<T: LosslessStringConvertible>(_ context: BasicRequestContext, _ name: String, as: T.Type) throws -> T {
        let text = context.parameters.get(name) ?? ""
        guard let value = T(text) else { throw CandidateTableRequest.Refusal(description: "\(name) \(text): not a number") }
        return value
    }

    static func search(_ context: BasicRequestContext) throws -> (Int, Int64) {
        (try number(context, "db", as: Int.self), try number(context, "search", as: Int64.self))
    }

    static func candidate(_ context: BasicRequestContext) throws -> (Int, Int64) {
        (try number(context, "db", as: Int.self), try number(context, "candidate", as: Int64.self))
    }

    /// `?search=DB:ID`, repeated.
    static func searchKeys(_ request: Request) throws -> [DashboardPlots.SearchKey] {
        try request.uri.queryParameters.getAll("search").map { text in
            guard let key = DashboardPlots.SearchKey(text) else {
                throw CandidateTableRequest.Refusal(description: "search=\(text): use DB:ID, e.g. 0:1")
            }
            return key
        }
    }

    static func noSearch(_ database: Int, _ search: Int64, api: Bool) -> Response {
        Reply.failure(.notFound, "no search \(search) in database \(database)", api: api)
    }

    static func noCandidate(_ database: Int, _ candidate: Int64, api: Bool) -> Response {
        Reply.failure(.notFound, "no candidate \(candidate) in database \(database)", api: api)
    }
}
