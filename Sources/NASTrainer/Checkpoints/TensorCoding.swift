/// The byte layout of stored weights and checkpoints: little-endian UInt64 words and IEEE 754
/// float32 bits, so stored values come back bit for bit on any machine layernas runs on.
///
/// A tensor list is its count, then per tensor `rows`, `cols` and the `rows · cols` floats.
package enum TensorCoding {
    /// Stored bytes that do not decode: one line saying why.
    package struct Failure: Error, Sendable, Equatable, CustomStringConvertible {
        package var reason: String
        package var description: String { reason }
    }

    static let weightsMagic = Array("LNASWTS1".utf8)

    /// Final weights as stored: magic `LNASWTS1`, then the tensor list.
    package static func encodeWeights(_ tensors: [WeightTensor]) -> [UInt8] {
        var bytes = weightsMagic
        append(tensors, to: &bytes)
        return bytes
    }

    /// Reads what `encodeWeights` wrote.
    package static func decodeWeights(_ bytes: [UInt8]) throws(Failure) -> [WeightTensor] {
        var reader = Reader(bytes: bytes)
        try reader.expect(magic: weightsMagic, what: "weights")
        let tensors = try reader.tensors()
        try reader.expectEnd()
        return tensors
    }

    static func append(_ word: UInt64, to bytes: inout [UInt8]) {
        for shift in stride(from: 0, to: 64, by: 8) { bytes.append(UInt8(truncatingIfNeeded: word >> UInt64(shift))) }
    }

    static func append(_ tensors: [WeightTensor], to bytes: inout [UInt8]) {
        append(UInt64(tensors.count), to: &bytes)
        for tensor in tensors {
            append(UInt64(tensor.rows), to: &bytes)
            append(UInt64(tensor.cols), to: &bytes)
            bytes.reserveCapacity(bytes.count + 4 * tensor.values.count)
            for value in tensor.values {
                let bits = value.bitPattern
                bytes.append(UInt8(truncatingIfNeeded: bits))
                bytes.append(UInt8(truncatingIfNeeded: bits >> 8))
                bytes.append(UInt8(truncatingIfNeeded: bits >> 16))
                bytes.append(UInt8(truncatingIfNeeded: bits >> 24))
            }
        }
    }

    struct Reader {
        let bytes: [UInt8]
        var offset = 0

        mutating func take(_ count: Int) throws(Failure) -> ArraySlice<UInt8> {
            guard count >= 0, count <= bytes.count - offset else {
                throw Failure(reason: "stored tensor data is truncated at byte \(offset) of \(bytes.count)")
            }
            defer { offset += count }
            return bytes[offset..<(offset + count)]
        }

        mutating func expect(magic: [UInt8], what: String) throws(Failure) {
            guard Array(try take(magic.count)) == magic else {
                throw Failure(reason: "stored \(what) do not start with \(String(decoding: magic, as: UTF8.self))")
            }
        }

        mutating func expectEnd() throws(Failure) {
            guard offset == bytes.count else { throw Failure(reason: "\(bytes.count - offset) unexpected bytes after the stored tensors") }
        }

        mutating func word() throws(Failure) -> UInt64 {
            try take(8).reversed().reduce(0) { $0 << 8 | UInt64($1) }
        }

        mutating func tensors() throws(Failure) -> [WeightTensor] {
            let count = Int(clamping: try word())
            guard count <= 10_000 else { throw Failure(reason: "stored tensor count \(count) is implausible") }
            var result: [WeightTensor] = []
            for _ in 0..<count {
                let rows = Int(clamping: try word()), cols = Int(clamping: try word())
                guard rows <= 1 << 30, cols <= 1 << 30, rows.multipliedReportingOverflow(by: cols).overflow == false else {
                    throw Failure(reason: "stored tensor size \(rows)×\(cols) is implausible")
                }
                let raw = try take(4 * rows * cols)
                var values = [Float](repeating: 0, count: rows * cols)
                var index = raw.startIndex
                for i in values.indices {
                    let bits = UInt32(raw[index]) | UInt32(raw[index + 1]) << 8 | UInt32(raw[index + 2]) << 16 | UInt32(raw[index + 3]) << 24
                    values[i] = Float(bitPattern: bits)
                    index += 4
                }
                result.append(WeightTensor(rows: rows, cols: cols, values: values))
            }
            return result
        }
    }
}
