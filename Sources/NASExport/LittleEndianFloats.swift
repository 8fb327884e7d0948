/// Float32 values as little-endian bytes: ONNX's `raw_data` and the logits files that the
/// round-trip check compares with onnxruntime both use this layout, whatever the host's order.
package enum LittleEndianFloats {
    package static func bytes(_ values: [Float]) -> [UInt8] {
        var raw: [UInt8] = []
        raw.reserveCapacity(values.count * 4)
        for value in values {
            let bits = value.bitPattern
            raw += [UInt8(truncatingIfNeeded: bits), UInt8(truncatingIfNeeded: bits >> 8),
                    UInt8(truncatingIfNeeded: bits >> 16), UInt8(truncatingIfNeeded: bits >> 24)]
        }
        return raw
    }
}
