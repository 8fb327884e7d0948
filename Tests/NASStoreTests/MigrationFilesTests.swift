import Foundation
import Testing
@testable import NASStore

/// The schema the binary carries must be exactly the files under `migrations/`.
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
            let withoutFinalNewline = text.hasSuffix("\n") ? String(text.dropLast()) : text
            #expect(embedded.sql == withoutFinalNewline, "\(name) differs from the embedded copy; run `make migrations`")
        }
    }

    @Test func migrationFilesAreNumberedWithoutGaps() throws {
        for (index, identifier) in Schema.migrationIdentifiers.enumerated() {
            #expect(identifier.hasPrefix(String(format: "%04d_", index + 1)), "\(identifier)")
        }
    }
}
