import Foundation

/// How a database path given by the user reaches SQLite: literally, and only when it names a
/// regular file or nothing yet.
package enum DatabasePath {
    /// `path` spelled so that SQLite takes it literally: SQLite reads a name that starts with
    /// `file:` as a URI (`file:v.db?mode=memory`), which the user did not mean.
    package static func literal(_ path: String) -> String {
        path.hasPrefix("file:") ? "./" + path : path
    }

    /// Refuses a path that exists but is not a regular file (after symbolic links): SQLite would
    /// block forever on a FIFO and misreport a device or a socket.
    package static func checkKind(_ path: String) throws(StoreError) {
        if let kind = nonRegularKind(path) {
            throw StoreError.notAFile(path: path, kind: kind)
        }
    }

    /// "a FIFO", "a directory", ... for an existing path that is not a regular file; nil for a
    /// regular file or a missing path.
    package static func nonRegularKind(_ path: String) -> String? {
        var info = stat()
        guard stat(path, &info) == 0 else { return nil }
        switch info.st_mode & S_IFMT {
        case S_IFREG: return nil
        case S_IFDIR: return "a directory"
        case S_IFIFO: return "a FIFO"
        case S_IFCHR: return "a character device"
        case S_IFBLK: return "a block device"
        case S_IFSOCK: return "a socket"
        default: return "not a regular file"
        }
    }
}
