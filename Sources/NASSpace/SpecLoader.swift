import Foundation
import Yams

/// Reads a search-space file (YAML or JSON, same structure) into a validated `SearchSpace`.
///
/// Every problem is reported as one `SpaceError` line naming the file, the field path and the
/// value, e.g. `space.yaml: layers[1].options[2].kernel: must be odd, got 4`.
///
/// ```yaml
/// name: burger
/// family: custom            # custom | mlp | cnn
/// layers:
///   - name: bottom
///     options: [{label: A, cost: 1}, {label: B, cost: 2}]
/// target: {metric: cost, min: 8, max: 9}
/// ```
package enum SpecLoader {
    /// Largest spec file accepted; real specs are a few kilobytes.
    package static let maximumFileSize = 1 << 20

    /// Loads and validates the file at `path`.
    package static func load(path: String) throws(SpaceError) -> SearchSpace {
        let url = URL(fileURLWithPath: path)
        let attributes = try? FileManager.default.attributesOfItem(atPath: path)
        guard let attributes else {
            throw SpaceError.unreadable(file: path, reason: "cannot read the file (does it exist?)")
        }
        if let kind = FileKind.nonRegular(path) {
            throw SpaceError.unreadable(file: path, reason: "is \(kind), not a spec file")
        }
        if let size = attributes[.size] as? Int, size > maximumFileSize {
            throw SpaceError.unreadable(file: path, reason: "is \(size) bytes; a spec may be at most \(maximumFileSize) bytes")
        }
        let data: Data
        do {
            data = try Data(contentsOf: url)
        } catch {
            throw SpaceError.unreadable(file: path, reason: "cannot read the file: \(error.localizedDescription)")
        }
        return try parse(data: data, file: path)
    }

    /// Validates spec bytes; `file` names them in errors.
    package static func parse(data: Data, file: String) throws(SpaceError) -> SearchSpace {
        guard let text = String(data: data, encoding: .utf8) else {
            throw SpaceError.unreadable(file: file, reason: "is not UTF-8 text")
        }
        return try parse(text: text, file: file)
    }

    /// Validates spec text; `file` names it in errors.
    package static func parse(text: String, file: String) throws(SpaceError) -> SearchSpace {
        if text.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty {
            throw SpaceError.unreadable(file: file, reason: "is empty")
        }
        let node: Node?
        do {
            node = try Yams.compose(yaml: text)
        } catch {
            let reason = String(describing: error).split(whereSeparator: \.isNewline).first.map(String.init) ?? "syntax error"
            throw SpaceError.unreadable(file: file, reason: "is not valid YAML or JSON: \(reason)")
        }
        guard let node else { throw SpaceError.unreadable(file: file, reason: "is empty") }
        do {
            let document = try SpecValue.from(node, path: "")
            return try SpecDecoder.space(from: document)
        } catch let problem {
            throw SpaceError.invalid(file: file, path: problem.path, message: problem.message)
        }
    }
}
