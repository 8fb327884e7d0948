import Foundation
import Testing
@testable import NASStore

/// The schema the binary carries must be exactly the files under `migrations/`, each without its
/// header comment (the comment and blank lines before the first statement; see
/// scripts/embed-migrations.sh).
@Suite struct MigrationFilesTests {
    static let directory = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("migrations")

    @Test func embeddedMigrationsEqualTheFilesInOrder() throws {
        let names = try FileManager.default.contentsOfDirectory(atPath: Self.directory.path)
            .filter { $0.hasSuffix(".sql") }.sorted()
        #expect(!names.isEmpty)
        #expect(Schema.migrationIdentifiers == names.map { String($0.dropLast(4)) },
                "run `make migrations` after changing migrations/")
        for (name, embedded) in zip(names, Schema.migrationSQL) {
            let text = try String(contentsOf: Self.directory.appendingPathComponent(name), encoding: .utf8)
            let statements = Self.withoutHeaderComment(text)
            let withoutFinalNewline = statements.hasSuffix("\n") ? String(statements.dropLast()) : statements
            #expect(!withoutFinalNewline.isEmpty, "\(name) holds no statement")
            #expect(embedded.sql == withoutFinalNewline, "\(name) differs from the embedded copy; run `make migrations`")
        }
    }

    /// The file from its first line that is neither a `--` comment nor blank.
    static func withoutHeaderComment(_ text: String) -> String {
        let lines = text.split(separator: "\n", omittingEmptySubsequences: false)
        let first = lines.firstIndex { line in
            !line.hasPrefix("--") && !line.allSatisfy(\.isWhitespace)
        } ?? lines.endIndex
        return lines[first...].joined(separator: "\n")
    }

    @Test func migrationFilesAreNumberedWithoutGaps() throws {
        for (index, identifier) in Schema.migrationIdentifiers.enumerated() {
            #expect(identifier.hasPrefix(String(format: "%04d_", index + 1)), "\(identifier)")
        }
    }
}
