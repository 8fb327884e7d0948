import Foundation

/// Where formatted output goes: standard output, or a file that appears only complete.
///
/// Bytes are buffered and written in large chunks, so output of any size streams in constant
/// memory. A file destination is written to a temporary file beside it and renamed into place
/// by `commit()`; when a command fails before that, the temporary file is removed and an
/// existing file of that name is left as it was.
package final class OutputSink {
    /// The destination as named to the user (`-` for standard output).
    package let name: String
    private let descriptor: Int32
    private let temporaryPath: String?
    private let finalPath: String?
    private var buffer: [UInt8] = []
    private var committed = false
    private static let chunk = 1 << 16

    private init(name: String, descriptor: Int32, temporaryPath: String?, finalPath: String?) {
        self.name = name
        self.descriptor = descriptor
        self.temporaryPath = temporaryPath
        self.finalPath = finalPath
        buffer.reserveCapacity(Self.chunk + 1024)
    }

    /// A sink writing to standard output.
    package static func standardOutput() -> OutputSink {
        OutputSink(name: "-", descriptor: STDOUT_FILENO, temporaryPath: nil, finalPath: nil)
    }

    /// A sink writing to `path` (or standard output when `path` is nil or `-`). `database` is the
    /// file the command reads: `path` must not be it or one of its companions, nor another SQLite
    /// database unless `replaceDatabase` (OutputPathGuard).
    package static func open(path: String?, database: String, replaceDatabase: Bool = false) throws(QueryError) -> OutputSink {
        guard let path, path != "-" else { return standardOutput() }
        try OutputPathGuard.check(output: path, database: database, replaceDatabase: replaceDatabase)
        let url = URL(fileURLWithPath: path)
        let temporary = url.deletingLastPathComponent()
            .appendingPathComponent(".\(url.lastPathComponent).\(getpid()).tmp").path
        let descriptor = Foundation.open(temporary, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0o644)
        guard descriptor >= 0 else {
            // A path that cannot be created is the user's to fix (exit 2).
            throw QueryError.badRequest("\(path): cannot create the output file: \(String(cString: strerror(errno)))")
        }
        TemporaryFileCleanup.register(temporary)
        return OutputSink(name: path, descriptor: descriptor, temporaryPath: temporary, finalPath: path)
    }

    deinit {
        if let temporaryPath, !committed {
            close(descriptor)
            unlink(temporaryPath)
            TemporaryFileCleanup.release()
        }
    }

    /// Appends UTF-8 text.
    package func write(_ text: String) throws(QueryError) {
        var text = text
        text.withUTF8 { buffer.append(contentsOf: $0) }
        if buffer.count >= Self.chunk { try flush() }
    }

    /// Appends raw bytes.
    package func write(bytes: some Sequence<UInt8>) throws(QueryError) {
        buffer.append(contentsOf: bytes)
        if buffer.count >= Self.chunk { try flush() }
    }

    /// Appends one byte.
    func write(byte: UInt8) throws(QueryError) {
        buffer.append(byte)
        if buffer.count >= Self.chunk { try flush() }
    }

    /// Writes out what is buffered.
    package func flush() throws(QueryError) {
        var offset = 0
        var failure: Int32 = 0
        buffer.withUnsafeBytes { raw in
            guard let base = raw.baseAddress else { return }
            while offset < raw.count {
                let written = Foundation.write(descriptor, base + offset, raw.count - offset)
                if written < 0 {
                    if errno == EINTR { continue }
                    failure = errno
                    return
                }
                offset += written
            }
        }
        buffer.removeAll(keepingCapacity: true)
        if failure != 0 {
            throw QueryError.output(path: name, reason: String(cString: strerror(failure)))
        }
    }

    /// Finishes the output: flushes it and, for a file, moves it into place.
    package func commit() throws(QueryError) {
        try flush()
        guard let temporaryPath, let finalPath, !committed else { return }
        defer { TemporaryFileCleanup.release() }
        if fsync(descriptor) != 0 || close(descriptor) != 0 {
            let reason = String(cString: strerror(errno))
            unlink(temporaryPath)
            committed = true
            throw QueryError.output(path: finalPath, reason: reason)
        }
        committed = true
        if rename(temporaryPath, finalPath) != 0 {
            let reason = String(cString: strerror(errno))
            unlink(temporaryPath)
            throw QueryError.output(path: finalPath, reason: reason)
        }
    }
}
