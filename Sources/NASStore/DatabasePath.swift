import Foundation
import NASSpace

/// How a database path given by the user reaches SQLite: literally, and only when it names a
/// regular file or nothing yet.
package enum DatabasePath {
    /// `path` spelled so that SQLite takes it literally: SQLite reads a name that starts with
    /// `file:` as a URI (`file:v.db?mode=memory`), which the user did not mean.
    package static func literal(_ path: String) -> String {
        path.hasPrefix("file:") ? "./" + path : path
    }

    /// Where a reader opens `path`: the literal path, or, when SQLite could not create the
    /// `-shm` file a WAL reader needs (a read-only folder or file system) and no `-wal` holds
    /// unmerged commits, an `immutable=1` URI: nothing can be writing a file in a folder nobody
    /// can write to, and SQLite then reads it without any companion file.
    package static func readerLocation(_ path: String) -> String {
        guard !canCreateCompanions(of: path), !hasUnmergedLog(path) else { return literal(path) }
        let absolute = URL(fileURLWithPath: path).standardizedFileURL.path
        var allowed = CharacterSet.urlPathAllowed
        allowed.remove(charactersIn: "?#%")
        let encoded = absolute.addingPercentEncoding(withAllowedCharacters: allowed) ?? absolute
        return "file:\(encoded)?immutable=1"
    }

    /// Whether this process may create files beside `path` (the folder is writable and not on a
    /// read-only file system), or the `-shm` file already exists and is writable.
    static func canCreateCompanions(of path: String) -> Bool {
        if access(path + "-shm", W_OK) == 0 { return true }
        let folder = URL(fileURLWithPath: path).deletingLastPathComponent().path
        var info = statvfs()
        if statvfs(folder, &info) == 0 && (info.f_flag & UInt(ST_RDONLY)) != 0 { return false }
        return access(folder, W_OK) == 0
    }

    /// A non-empty `-wal` beside the database: commits not yet merged into the main file.
    static func hasUnmergedLog(_ path: String) -> Bool {
        var info = stat()
        return stat(path + "-wal", &info) == 0 && info.st_size > 0
    }

    /// Refuses a path that exists but is not a regular file (after symbolic links): SQLite would
    /// block forever on a FIFO and misreport a device or a socket.
    package static func checkKind(_ path: String) throws(StoreError) {
        if let kind = FileKind.nonRegular(path) {
            throw StoreError.notAFile(path: path, kind: kind)
        }
    }
}
