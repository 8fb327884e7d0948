import Foundation
import NASStore

/// The candidate table's sorting, filtering and page, read from a URL query
/// (`?sort=score&order=desc&status=evaluated&window=in&layer=2&option=2:B&page=3&size=50`).
/// Every value is checked against a fixed list, so nothing from the URL reaches SQL as text.
struct CandidateTableRequest: Sendable, Equatable {
    var filter = DashboardReads.CandidateFilter()
    var sort = "seq"
    var descending = false
    /// 1-based page number.
    var page = 1
    var size = 50

    static let maximumSize = 500

    /// Why a query was refused, one line naming the parameter and its value.
    struct Refusal: Error, CustomStringConvertible {
        var description: String
    }

    /// Reads the parameters `get` returns (nil for a missing one).
    init(_ get: (String) -> String?) throws(Refusal) {
        if let sort = get("sort"), !sort.isEmpty {
            guard DashboardReads.tableColumns.contains(sort) else {
                throw Refusal(description: "sort=\(sort): not a column; use one of \(DashboardReads.tableColumns.joined(separator: ", "))")
            }
            self.sort = sort
        }
        switch get("order") ?? "" {
        case "", "asc": descending = false
        case "desc": descending = true
        case let other: throw Refusal(description: "order=\(other): use asc or desc")
        }
        if let status = get("status"), !status.isEmpty {
            guard let known = CandidateStatus(rawValue: status) else {
                throw Refusal(description: "status=\(status): use one of \(CandidateStatus.allCases.map(\.rawValue).joined(separator: ", "))")
            }
            filter.status = known
        }
        switch get("window") ?? "" {
        case "": break
        case "in": filter.inWindow = true
        case "out": filter.inWindow = false
        case let other: throw Refusal(description: "window=\(other): use in or out")
        }
        if let layer = get("layer"), !layer.isEmpty {
            guard let number = Int(layer), number >= 1 else { throw Refusal(description: "layer=\(layer): use a layer number from 1") }
            filter.layer = number
        }
        if let option = get("option"), !option.isEmpty {
            let parts = option.split(separator: ":", maxSplits: 1)
            guard parts.count == 2, let layer = Int(parts[0]), layer >= 1, layer <= 10_000 else {
                throw Refusal(description: "option=\(option): use LAYER:LABEL, e.g. 2:B")
            }
            filter.option = (layer: layer, label: String(parts[1]))
        }
        if let page = get("page"), !page.isEmpty {
            guard let number = Int(page), number >= 1 else { throw Refusal(description: "page=\(page): use a page number from 1") }
            self.page = number
        }
        if let size = get("size"), !size.isEmpty {
            guard let number = Int(size), (1...Self.maximumSize).contains(number) else {
                throw Refusal(description: "size=\(size): use 1 to \(Self.maximumSize) rows per page")
            }
            self.size = number
        }
        guard page <= Int.max / size else { throw Refusal(description: "page=\(page): too large") }
    }

    init() {}

    static func == (left: Self, right: Self) -> Bool {
        left.filter == right.filter && left.sort == right.sort && left.descending == right.descending
            && left.page == right.page && left.size == right.size
    }

    /// The query string of this request with some parameters replaced (for links).
    func query(page: Int? = nil, sort: String? = nil, descending: Bool? = nil) -> String {
        var items: [(String, String)] = []
        items.append(("sort", sort ?? self.sort))
        items.append(("order", (descending ?? self.descending) ? "desc" : "asc"))
        if let status = filter.status { items.append(("status", status.rawValue)) }
        if let inWindow = filter.inWindow { items.append(("window", inWindow ? "in" : "out")) }
        if let layer = filter.layer { items.append(("layer", String(layer))) }
        if let option = filter.option { items.append(("option", "\(option.layer):\(option.label)")) }
        items.append(("page", String(page ?? self.page)))
        items.append(("size", String(size)))
        return items.map { "\($0.0)=\(URLText.queryValue($0.1))" }.joined(separator: "&")
    }

    /// The same filters as a query string, without sorting and paging (for the CSV link).
    var filterQuery: String {
        query(page: 1).split(separator: "&").filter { !$0.hasPrefix("page=") && !$0.hasPrefix("size=") }.joined(separator: "&")
    }
}
