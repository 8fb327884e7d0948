import NASSpace

/// The IDX format of (Fashion-)MNIST (LeCun et al.): a big-endian header — magic number
/// (2051 for images, 2049 for labels), item count, then for images the row and column counts —
/// followed by one unsigned byte per pixel or label.
enum IDXFile {
    static let imagesMagic: UInt32 = 2051
    static let labelsMagic: UInt32 = 2049

    /// Images of a gzip-compressed IDX3 file, pixels scaled to [0, 1].
    static func readImages(path: String) throws -> (shape: ImageShape, count: Int, pixels: [Float]) {
        let bytes = try readGzip(path: path)
        try checkHeader(bytes, magic: imagesMagic, headerSize: 16, path: path)
        let count = Int(bigEndianWord(bytes, at: 4))
        let rows = Int(bigEndianWord(bytes, at: 8))
        let cols = Int(bigEndianWord(bytes, at: 12))
        guard rows > 0, cols > 0 else {
            throw TrainerError.datasetCorrupt(path: path, reason: "image size \(rows)×\(cols)")
        }
        let expected = 16 + count * rows * cols
        guard bytes.count == expected else {
            throw TrainerError.datasetCorrupt(path: path, reason: "\(bytes.count) bytes, header promises \(expected) for \(count) images of \(rows)×\(cols)")
        }
        return (ImageShape(height: rows, width: cols, channels: 1), count, Kernel.normalizedPixels(bytes, from: 16))
    }

    /// Labels of a gzip-compressed IDX1 file; each must be below `classes`.
    static func readLabels(path: String, classes: Int) throws -> [UInt8] {
        let bytes = try readGzip(path: path)
        try checkHeader(bytes, magic: labelsMagic, headerSize: 8, path: path)
        let count = Int(bigEndianWord(bytes, at: 4))
        guard bytes.count == 8 + count else {
            throw TrainerError.datasetCorrupt(path: path, reason: "\(bytes.count) bytes, header promises \(8 + count) for \(count) labels")
        }
        let labels = Array(bytes[8...])
        if let bad = labels.first(where: { Int($0) >= classes }) {
            throw TrainerError.datasetCorrupt(path: path, reason: "label \(bad) outside 0..<\(classes)")
        }
        return labels
    }

    private static func readGzip(path: String) throws -> [UInt8] {
        switch GzipFile.read(path: path) {
        case .success(let bytes): return bytes
        case .failure(.cannotOpen): throw TrainerError.datasetMissing(path: path)
        case .failure(.corrupt(let message)): throw TrainerError.datasetCorrupt(path: path, reason: "zlib: \(message)")
        }
    }

    private static func checkHeader(_ bytes: [UInt8], magic: UInt32, headerSize: Int, path: String) throws {
        guard bytes.count >= headerSize else {
            throw TrainerError.datasetCorrupt(path: path, reason: "only \(bytes.count) bytes, shorter than the \(headerSize)-byte IDX header")
        }
        let found = bigEndianWord(bytes, at: 0)
        guard found == magic else {
            throw TrainerError.datasetCorrupt(path: path, reason: "magic number \(found), expected \(magic)")
        }
    }

    private static func bigEndianWord(_ bytes: [UInt8], at offset: Int) -> UInt32 {
        bytes[offset..<(offset + 4)].reduce(0) { $0 << 8 | UInt32($1) }
    }
}
