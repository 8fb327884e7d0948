import Foundation
import NASSpace

/// Scores looked up in a CSV table with header `arch,score[,metric...]`: how users replay tabular
/// NAS benchmarks. Extra numeric columns are stored as metrics. A key missing from the table
/// fails that candidate with a clear error; the search goes on.
package struct TableEvaluator: Evaluator {
    /// Path of the table of precomputed scores.
    package let path: String
    private let rows: [String: (score: Double, metrics: [String: Double])]

    /// The evaluator as named on the command line.
    package var description: String { "table:\(path)" }

    /// Number of architectures in the table.
    package var count: Int { rows.count }

    /// Reads and checks the whole table: header, one row per architecture, finite numbers.
    ///
    /// - Throws: `SearchError.badTable` naming the file, line and value.
    package init(path: String) throws(SearchError) {
        self.path = path
        guard let data = FileManager.default.contents(atPath: path) else {
            throw SearchError.badTable(path: path, line: nil, message: "cannot read the file (does it exist?)")
        }
        guard let text = String(data: data, encoding: .utf8) else {
            throw SearchError.badTable(path: path, line: nil, message: "is not UTF-8 text")
        }
        var lines = text.split(omittingEmptySubsequences: false, whereSeparator: \.isNewline).map(String.init)
        while lines.last?.trimmingCharacters(in: .whitespaces).isEmpty == true { lines.removeLast() }
        guard let header = lines.first else {
            throw SearchError.badTable(path: path, line: nil, message: "is empty; expected a header 'arch,score'")
        }
        let columns = Self.fields(of: header)
        guard columns.count >= 2, columns[0] == "arch", columns[1] == "score" else {
            throw SearchError.badTable(path: path, line: 1, message: "header must start with 'arch,score', got '\(header.prefix(60))'")
        }
        var seenColumns = Set<String>()
        for column in columns {
            guard !column.isEmpty else { throw SearchError.badTable(path: path, line: 1, message: "header has an empty column name") }
            guard seenColumns.insert(column).inserted else {
                throw SearchError.badTable(path: path, line: 1, message: "header names column '\(column.prefix(40))' twice")
            }
        }
        var rows: [String: (score: Double, metrics: [String: Double])] = [:]
        for (index, line) in lines.enumerated().dropFirst() {
            let number = index + 1
            let fields = Self.fields(of: line)
            guard fields.count == columns.count else {
                throw SearchError.badTable(path: path, line: number, message: "expected \(columns.count) fields, got \(fields.count)")
            }
            let key = fields[0]
            guard !key.isEmpty else { throw SearchError.badTable(path: path, line: number, message: "empty arch") }
            guard rows[key] == nil else {
                throw SearchError.badTable(path: path, line: number, message: "arch '\(key)' appears twice")
            }
            var values: [Double] = []
            for (column, field) in zip(columns.dropFirst(), fields.dropFirst()) {
                guard let value = Double(field), value.isFinite else {
                    throw SearchError.badTable(path: path, line: number, message: "\(column) must be a finite number, got '\(field.prefix(40))'")
                }
                values.append(value)
            }
            let metrics = Dictionary(uniqueKeysWithValues: zip(columns.dropFirst(2), values.dropFirst()))
            rows[key] = (values[0], metrics)
        }
        self.rows = rows
    }

    /// Looks up the candidate's score in the table.
    package func evaluate(_ request: EvaluationRequest) throws(EvaluationError) -> EvaluationResult {
        if request.isCancelled() { throw .cancelled }
        guard let row = rows[request.key] else {
            throw .failed("architecture '\(request.key)' is not in the table \(path)")
        }
        return EvaluationResult(score: row.score, metrics: row.metrics)
    }
}

extension TableEvaluator {
    /// The fields of one CSV line, trimmed; a field in double quotes is unquoted (`""` is a quote),
    /// as spreadsheets and pandas write keys.
    static func fields(of line: String) -> [String] {
        let characters = Array(line)
        var fields: [String] = []
        var field = ""
        var quoted = false
        var index = 0
        while index < characters.count {
            let character = characters[index]
            index += 1
            if quoted {
                if character != "\"" {
                    field.append(character)
                } else if index < characters.count && characters[index] == "\"" {
                    field.append("\"")
                    index += 1
                } else {
                    quoted = false
                }
            } else if character == "\"" && field.trimmingCharacters(in: .whitespaces).isEmpty {
                field = ""
                quoted = true
            } else if character == "," {
                fields.append(field.trimmingCharacters(in: .whitespaces))
                field = ""
            } else {
                field.append(character)
            }
        }
        fields.append(field.trimmingCharacters(in: .whitespaces))
        return fields
    }
}
