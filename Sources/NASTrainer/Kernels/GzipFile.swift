internal import CZlib

/// Reading a whole gzip file through zlib (`gzopen`/`gzread`).
enum GzipFile {
    /// Why a gzip file could not be read.
    enum ReadFailure: Error, Equatable {
        /// The file could not be opened (missing or unreadable).
        case cannotOpen
        /// zlib reported an error while decompressing (e.g. truncated or corrupt data).
        case corrupt(String)
    }

    /// The decompressed contents of the file at `path`.
    ///
    /// A file that is not gzip-compressed is read as is (zlib's transparent mode).
    static func read(path: String) -> Result<[UInt8], ReadFailure> {
        guard let file = gzopen(path, "rb") else { return .failure(.cannotOpen) }
        defer { gzclose(file) }
        gzbuffer(file, 1 << 20)
        var bytes: [UInt8] = []
        let chunk = 1 << 22
        var buffer = [UInt8](repeating: 0, count: chunk)
        while true {
            let got = buffer.withUnsafeMutableBytes { raw in
                gzread(file, raw.baseAddress, UInt32(raw.count))
            }
            if got < 0 {
                var code: Int32 = 0
                let message = gzerror(file, &code).map { String(cString: $0) } ?? "zlib error \(code)"
                return .failure(.corrupt(message))
            }
            if got == 0 { break }
            bytes.append(contentsOf: buffer[0..<Int(got)])
        }
        // gzread returns 0 both at a clean end and at a truncated stream; gzerror tells them apart.
        var code: Int32 = 0
        let message = gzerror(file, &code).map { String(cString: $0) } ?? ""
        if code != Z_OK && code != Z_STREAM_END {
            return .failure(.corrupt(message.isEmpty ? "zlib error \(code)" : message))
        }
        return .success(bytes)
    }
}
