import Foundation
import GRDB

/// One value of a result row, with SQLite's storage class kept: integers stay integers, reals
/// stay reals, NULL stays NULL.
package enum QueryValue: Sendable, Equatable {
    case null
    case integer(Int64)
    case real(Double)
    case text(String)
    case blob([UInt8])

    /// True for integers and reals (right-aligned in tables, unquoted in JSON).
    package var isNumber: Bool {
        switch self {
        case .integer, .real: return true
        case .null, .text, .blob: return false
        }
    }

    /// The number as a `Double`, for integers and reals.
    package var doubleValue: Double? {
        switch self {
        case .integer(let value): return Double(value)
        case .real(let value): return value
        case .null, .text, .blob: return nil
        }
    }

    /// Text for CSV and tables: integers in decimal, reals in the shortest form that reads back
    /// to the same `Double` (`0.1`, `5.0`, `1e-05`, `inf`), blobs as an SQL hex literal
    /// (`x'00ff'`), NULL as nil.
    package var plainText: String? {
        switch self {
        case .null: return nil
        case .integer(let value): return String(value)
        case .real(let value): return value.description
        case .text(let value): return value
        case .blob(let bytes): return Self.hexLiteral(bytes)
        }
    }

    /// Significant digits a real keeps in a table. Arithmetic leaves noise in the last one or
    /// two of a `Double`'s 15 to 17 digits (`0.7353955120000001`); 12 drop it and keep every
    /// difference a person reads a table for. CSV and JSON keep the exact value.
    package static let displayDigits = 12

    /// Text for tables, which people read: `plainText`, except that a real is rounded to
    /// `displayDigits` significant digits when that gives a shorter text (`0.735395512`, never
    /// `1.23456789012e+14` for `123456789012345.0`).
    package var displayText: String? {
        guard case .real(let value) = self, value.isFinite else { return plainText }
        let exact = value.description
        guard let rounded = Double(String(format: "%.\(Self.displayDigits)g", value)) else { return exact }
        let short = rounded.description
        return short.count < exact.count ? short : exact
    }

    static func hexLiteral(_ bytes: [UInt8]) -> String {
        let digits = Array("0123456789abcdef".utf8)
        var text: [UInt8] = Array("x'".utf8)
        text.reserveCapacity(bytes.count * 2 + 3)
        for byte in bytes {
            text.append(digits[Int(byte >> 4)])
            text.append(digits[Int(byte & 0x0F)])
        }
        text.append(UInt8(ascii: "'"))
        return String(decoding: text, as: UTF8.self)
    }
}

extension QueryValue {
    /// The value GRDB read, with its SQLite storage class.
    init(_ value: DatabaseValue) {
        switch value.storage {
        case .null: self = .null
        case .int64(let number): self = .integer(number)
        case .double(let number): self = .real(number)
        case .string(let string): self = .text(string)
        case .blob(let data): self = .blob([UInt8](data))
        }
    }
}
