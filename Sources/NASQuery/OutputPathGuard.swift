import Foundation

/// Refuses an `--output` that would replace the database being read (or its `-wal`, `-shm` or
/// `-journal` file), however the path is spelled, and one that is some other SQLite database
/// unless the user asked for that (`--force`). docs/ARCHITECTURE.md#output-files.
package enum OutputPathGuard {
    /// The files SQLite keeps beside a database.
    static let companionSuffixes = ["", "-wal", "-shm", "-journal"]

    package static func check(output: String, database: String, replaceDatabase: Bool) throws(QueryError) {
        guard output != "-" else { return }
        for suffix in companionSuffixes where sameFile(output, database + suffix) {
            let what = suffix.isEmpty ? "the database" : "the database's \(suffix.dropFirst()) file"
            throw QueryError.badRequest("--output \(output): is \(what) (\(database + suffix)); choose another file")
        }
        if !replaceDatabase && isSQLiteDatabase(output) {
            throw QueryError.badRequest("--output \(output): is an SQLite database; refusing to replace it (add --force to replace it)")
        }
    }

    /// The same file: the same device and inode when both exist (hard links, symlinks, `./`),
    /// else the same canonical location (a companion file SQLite may create later).
    static func sameFile(_ first: String, _ second: String) -> Bool {
        var a = stat(), b = stat()
        if stat(first, &a) == 0 && stat(second, &b) == 0 {
            return a.st_dev == b.st_dev && a.st_ino == b.st_ino
        }
        return canonicalLocation(first) == canonicalLocation(second)
    }

    /// The absolute path a name refers to, following symbolic links (also dangling ones) of the
    /// file itself and resolving its directory.
    static func canonicalLocation(_ path: String, depth: Int = 0) -> String {
        if let resolved = realpath(path, nil) {
            defer { free(resolved) }
            return String(cString: resolved)
        }
        let url = URL(fileURLWithPath: path)
        let directory = url.deletingLastPathComponent().path
        var linkInfo = stat()
        if depth < 16 && lstat(path, &linkInfo) == 0 && (linkInfo.st_mode & S_IFMT) == S_IFLNK,
           let target = try? FileManager.default.destinationOfSymbolicLink(atPath: path) {
            let next = target.hasPrefix("/") ? target : directory + "/" + target
            return canonicalLocation(next, depth: depth + 1)
        }
        guard let resolvedDirectory = realpath(directory, nil) else { return url.standardizedFileURL.path }
        defer { free(resolvedDirectory) }
        return String(cString: resolvedDirectory) + "/" + url.lastPathComponent
    }

    /// Whether `path` is a regular file that starts with SQLite's 16-byte header.
    static func isSQLiteDatabase(_ path: String) -> Bool {
        var info = stat()
        guard stat(path, &info) == 0, (info.st_mode & S_IFMT) == S_IFREG else { return false }
        guard let handle = FileHandle(forReadingAtPath: path) else { return false }
        defer { try? handle.close() }
        let header = (try? handle.read(upToCount: 16)) ?? Data()
        return header == Data("SQLite format 3\0".utf8)
    }
}
