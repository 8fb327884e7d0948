import Yams

/// A parsed spec document before validation: YAML and JSON both land here.
///
/// Mappings keep their key order so errors can point at the first offending field.
indirect enum SpecValue: Sendable, Equatable {
    case null
    case bool(Bool)
    case int(Int)
    case double(Double)
    case string(String)
    case list([SpecValue])
    case mapping([(key: String, value: SpecValue)])

    static func == (lhs: SpecValue, rhs: SpecValue) -> Bool {
        switch (lhs, rhs) {
        case (.null, .null): return true
        case (.bool(let a), .bool(let b)): return a == b
        case (.int(let a), .int(let b)): return a == b
        case (.double(let a), .double(let b)): return a == b
        case (.string(let a), .string(let b)): return a == b
        case (.list(let a), .list(let b)): return a == b
        case (.mapping(let a), .mapping(let b)):
            return a.count == b.count && zip(a, b).allSatisfy { $0.key == $1.key && $0.value == $1.value }
        default: return false
        }
    }

    /// How the value reads in an error message: short, quoted when it is text.
    var shortDescription: String {
        switch self {
        case .null: return "null"
        case .bool(let value): return String(value)
        case .int(let value): return String(value)
        case .double(let value): return String(value)
        case .string(let value):
            let clipped = value.count > 40 ? String(value.prefix(40)) + "…" : value
            return "'\(clipped)'"
        case .list(let items): return "a list of \(items.count)"
        case .mapping: return "a mapping"
        }
    }

    /// Most values a spec may hold; real specs hold a few hundred. YAML aliases can make a short
    /// file stand for billions of values, so the count is checked while converting.
    static let maximumValues = 100_000

    /// Converts a composed YAML node (JSON is parsed as YAML 1.2 flow style).
    static func from(_ node: Node, path: String) throws(SpecProblem) -> SpecValue {
        var budget = maximumValues
        return try from(node, path: path, depth: 0, budget: &budget)
    }

    private static func from(_ node: Node, path: String, depth: Int, budget: inout Int) throws(SpecProblem) -> SpecValue {
        guard depth < 32 else { throw SpecProblem(path: path, message: "nesting deeper than 32 levels") }
        budget -= 1
        guard budget >= 0 else {
            throw SpecProblem(path: path, message: "more than \(maximumValues) values (expanded YAML aliases count too)")
        }
        switch node {
        case .alias:
            throw SpecProblem(path: path, message: "YAML aliases are not supported")
        case .scalar(let scalar):
            return scalarValue(scalar, node: node)
        case .sequence(let sequence):
            var items: [SpecValue] = []
            for (index, item) in sequence.enumerated() {
                items.append(try from(item, path: "\(path)[\(index)]", depth: depth + 1, budget: &budget))
            }
            return .list(items)
        case .mapping(let mapping):
            var pairs: [(key: String, value: SpecValue)] = []
            for (keyNode, valueNode) in mapping {
                guard case .scalar(let keyScalar) = keyNode else {
                    throw SpecProblem(path: path, message: "mapping keys must be plain text")
                }
                let key = keyScalar.string
                let childPath = path.isEmpty ? key : "\(path).\(key)"
                if pairs.contains(where: { $0.key == key }) {
                    throw SpecProblem(path: childPath, message: "field appears twice")
                }
                pairs.append((key, try from(valueNode, path: childPath, depth: depth + 1, budget: &budget)))
            }
            return .mapping(pairs)
        }
    }

    private static func scalarValue(_ scalar: Node.Scalar, node: Node) -> SpecValue {
        let quoted = scalar.style == .singleQuoted || scalar.style == .doubleQuoted
        if quoted { return .string(scalar.string) }
        switch Tag.Name(rawValue: node.tag.rawValue) {
        case .null: return .null
        case .bool: return node.bool.map(SpecValue.bool) ?? .string(scalar.string)
        case .int: return node.int.map(SpecValue.int) ?? .string(scalar.string)
        case .float: return node.float.map(SpecValue.double) ?? .string(scalar.string)
        default: return .string(scalar.string)
        }
    }
}

/// A problem found while reading a spec: the field path and what is wrong. `SpecLoader` adds the
/// file name and turns it into a `SpaceError`.
struct SpecProblem: Error, Sendable {
    var path: String
    var message: String
}
