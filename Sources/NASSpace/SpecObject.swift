/// A mapping of a spec with its field path, offering typed, checked access to its fields.
///
/// Every accessor throws a `SpecProblem` naming the full path of the field and the value found.
struct SpecObject {
    let path: String
    private let pairs: [(key: String, value: SpecValue)]

    init(_ value: SpecValue, path: String) throws(SpecProblem) {
        guard case .mapping(let pairs) = value else {
            throw SpecProblem(path: path, message: "must be a mapping of fields, got \(value.shortDescription)")
        }
        self.path = path
        self.pairs = pairs
    }

    func fieldPath(_ key: String) -> String { path.isEmpty ? key : "\(path).\(key)" }

    /// Throws on the first field not in `allowed`.
    func checkFields(allowed: [String]) throws(SpecProblem) {
        for pair in pairs where !allowed.contains(pair.key) {
            throw SpecProblem(
                path: fieldPath(pair.key),
                message: "unknown field; allowed here: \(allowed.joined(separator: ", "))"
            )
        }
    }

    func has(_ key: String) -> Bool { pairs.contains { $0.key == key } }

    func value(_ key: String) -> SpecValue? {
        pairs.first { $0.key == key }.map(\.value)
    }

    func required(_ key: String) throws(SpecProblem) -> SpecValue {
        guard let value = value(key), value != .null else {
            throw SpecProblem(path: fieldPath(key), message: "is required")
        }
        return value
    }

    func string(_ key: String) throws(SpecProblem) -> String {
        let value = try required(key)
        guard case .string(let text) = value, !text.isEmpty else {
            throw SpecProblem(path: fieldPath(key), message: "must be non-empty text, got \(value.shortDescription)")
        }
        return text
    }

    func optionalString(_ key: String) throws(SpecProblem) -> String? {
        guard let value = value(key), value != .null else { return nil }
        return try string(key)
    }

    /// An integer in `range`.
    func int(_ key: String, in range: ClosedRange<Int>) throws(SpecProblem) -> Int {
        try Self.int(try required(key), path: fieldPath(key), in: range)
    }

    func optionalInt(_ key: String, in range: ClosedRange<Int>) throws(SpecProblem) -> Int? {
        guard let value = value(key), value != .null else { return nil }
        return try Self.int(value, path: fieldPath(key), in: range)
    }

    /// A finite number in `range`.
    func number(_ key: String, in range: ClosedRange<Double>) throws(SpecProblem) -> Double {
        try Self.number(try required(key), path: fieldPath(key), in: range)
    }

    func optionalNumber(_ key: String, in range: ClosedRange<Double>) throws(SpecProblem) -> Double? {
        guard let value = value(key), value != .null else { return nil }
        return try Self.number(value, path: fieldPath(key), in: range)
    }

    func list(_ key: String) throws(SpecProblem) -> [SpecValue] {
        let value = try required(key)
        guard case .list(let items) = value else {
            throw SpecProblem(path: fieldPath(key), message: "must be a list, got \(value.shortDescription)")
        }
        return items
    }

    /// One of the raw values of `choices`.
    func choice<Choice: RawRepresentable & CaseIterable>(
        _ key: String, of type: Choice.Type
    ) throws(SpecProblem) -> Choice where Choice.RawValue == String {
        let value = try required(key)
        guard case .string(let text) = value, let choice = Choice(rawValue: text) else {
            let names = Choice.allCases.map(\.rawValue).joined(separator: ", ")
            throw SpecProblem(path: fieldPath(key), message: "must be one of \(names), got \(value.shortDescription)")
        }
        return choice
    }

    static func int(_ value: SpecValue, path: String, in range: ClosedRange<Int>) throws(SpecProblem) -> Int {
        let integer: Int?
        switch value {
        case .int(let number): integer = number
        case .double(let number) where number.rounded() == number && abs(number) < 1e15: integer = Int(number)
        default: integer = nil
        }
        guard let integer else {
            throw SpecProblem(path: path, message: "must be an integer, got \(value.shortDescription)")
        }
        guard range.contains(integer) else {
            throw SpecProblem(path: path, message: "must be \(describe(range)), got \(integer)")
        }
        return integer
    }

    static func number(_ value: SpecValue, path: String, in range: ClosedRange<Double>) throws(SpecProblem) -> Double {
        let number: Double?
        switch value {
        case .int(let integer): number = Double(integer)
        case .double(let double) where double.isFinite: number = double
        default: number = nil
        }
        guard let number else {
            throw SpecProblem(path: path, message: "must be a finite number, got \(value.shortDescription)")
        }
        guard range.contains(number) else {
            throw SpecProblem(
                path: path,
                message: "must be between \(CostFormat.string(range.lowerBound)) and \(CostFormat.string(range.upperBound)), got \(CostFormat.string(number))"
            )
        }
        return number
    }

    private static func describe(_ range: ClosedRange<Int>) -> String {
        if range.upperBound == Int.max { return range.lowerBound == 1 ? "a positive integer" : "at least \(range.lowerBound)" }
        return "between \(range.lowerBound) and \(range.upperBound)"
    }
}
