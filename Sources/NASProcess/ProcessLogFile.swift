import Foundation

/// A log file an external program appends its output to. Layernas never holds the whole file:
/// it writes a marker line before each attempt and reads back only the tail of what followed.
package struct ProcessLogFile: Sendable {
    /// The file's path; it need not exist yet.
    package let path: String

    /// The log at `path`; nothing is opened until it is written or read.
    package init(path: String) {
        self.path = path
    }

    /// The last non-empty line of a log, as far as it could be read.
    package struct Tail: Sendable, Equatable {
        /// The line without its end-of-line characters and trailing spaces.
        package var text: String
        /// False when the line is longer than the bytes read: `text` is then its end only.
        package var isComplete: Bool
    }

    /// Size of the file in bytes; 0 when it does not exist.
    package func size() -> UInt64 {
        let attributes = try? FileManager.default.attributesOfItem(atPath: path)
        return (attributes?[.size] as? NSNumber)?.uint64Value ?? 0
    }

    /// Appends `text` to the file, creating it when missing.
    package func append(_ text: String) throws {
        if !FileManager.default.fileExists(atPath: path) {
            guard FileManager.default.createFile(atPath: path, contents: nil) else {
                throw CocoaError(.fileWriteUnknown, userInfo: [NSFilePathErrorKey: path])
            }
        }
        let handle = try FileHandle(forWritingTo: URL(fileURLWithPath: path))
        defer { try? handle.close() }
        try handle.seekToEnd()
        try handle.write(contentsOf: Data(text.utf8))
    }

    /// The last non-empty line written after byte `offset`, reading at most `cap` bytes from the
    /// end of the file; `nil` when nothing but white space was written after `offset`.
    ///
    /// - Complexity: O(`cap`) time and memory, whatever the size of the file.
    package func lastLine(after offset: UInt64, cap: Int) -> Tail? {
        precondition(cap > 0, "cap must be positive")
        guard let handle = FileHandle(forReadingAtPath: path) else { return nil }
        defer { try? handle.close() }
        guard let end = try? handle.seekToEnd(), end > offset else { return nil }
        let start = max(offset, end > UInt64(cap) ? end - UInt64(cap) : 0)
        guard (try? handle.seek(toOffset: start)) != nil,
              let data = try? handle.read(upToCount: Int(end - start)) else { return nil }
        var bytes = data[...]
        while let last = bytes.last, last == UInt8(ascii: "\n") || last == UInt8(ascii: "\r")
                || last == UInt8(ascii: " ") || last == UInt8(ascii: "\t") {
            bytes = bytes.dropLast()
        }
        guard !bytes.isEmpty else { return nil }
        if let newline = bytes.lastIndex(of: UInt8(ascii: "\n")) {
            return Tail(text: String(decoding: bytes[(newline + 1)...], as: UTF8.self), isComplete: true)
        }
        return Tail(text: String(decoding: bytes, as: UTF8.self), isComplete: start == offset)
    }
}
