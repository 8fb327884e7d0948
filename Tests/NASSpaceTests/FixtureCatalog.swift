import Foundation

/// The malformed spec files under `Fixtures/invalid/` and the error each must produce.
///
/// A YAML fixture states its expected message on its first line (`# expect: ...`); a JSON
/// fixture, which cannot hold comments, in a sidecar `NAME.expect` file.
enum FixtureCatalog {
    static let directory = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
        .appendingPathComponent("Fixtures/invalid")

    struct Case: CustomStringConvertible, Sendable {
        var path: String
        var expectedMessage: String
        var description: String { URL(fileURLWithPath: path).lastPathComponent }
    }

    static var cases: [Case] {
        let names = (try? FileManager.default.contentsOfDirectory(atPath: directory.path)) ?? []
        return names.filter { !$0.hasSuffix(".expect") }.sorted().map { name in
            let path = directory.appendingPathComponent(name).path
            let sidecar = path + ".expect"
            let text = (try? String(contentsOfFile: sidecar, encoding: .utf8))
                ?? (try? String(contentsOfFile: path, encoding: .utf8)) ?? ""
            let firstLine = text.split(separator: "\n").first.map(String.init) ?? ""
            let expected = firstLine.hasPrefix("# expect: ") ? String(firstLine.dropFirst(10)) : firstLine
            return Case(path: path, expectedMessage: expected)
        }
    }
}
