import Foundation

/// Prints an `Encodable` report as pretty, key-sorted JSON on stdout.
///
/// Every JSON key layernas writes is snake_case: property names are converted here, in one
/// place, instead of a `CodingKeys` table per report (dictionary keys, such as layer names, are
/// left as they are).
enum JSONOutput {
    /// The encoder of every report and results file.
    static func encoder() -> JSONEncoder {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        encoder.keyEncodingStrategy = .convertToSnakeCase
        return encoder
    }

    static func print<Value: Encodable>(_ value: Value) throws {
        let data = try encoder().encode(value)
        FileHandle.standardOutput.write(data)
        FileHandle.standardOutput.write(Data("\n".utf8))
    }
}
