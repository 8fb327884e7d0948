import Foundation

/// Canonical JSON text for columns: sorted keys, so equal values give equal text.
package enum JSONText {
    /// Encodes a value as a JSON string.
    package static func encode<Value: Encodable>(_ value: Value) -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        guard let data = try? encoder.encode(value) else {
            preconditionFailure("values stored as JSON always encode")
        }
        return String(decoding: data, as: UTF8.self)
    }

    /// Decodes a value from a JSON string, or nil if it does not parse.
    package static func decode<Value: Decodable>(_ type: Value.Type, from text: String) -> Value? {
        try? JSONDecoder().decode(type, from: Data(text.utf8))
    }
}
