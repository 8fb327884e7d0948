import Foundation

/// What kind of file a path names, for refusing anything that is not a regular file by name
/// (a FIFO would block a reader forever, a device would be read endlessly).
package enum FileKind {
    /// "a FIFO", "a directory", ... for an existing path that is not a regular file (after
    /// symbolic links); nil for a regular file or a missing path.
    package static func nonRegular(_ path: String) -> String? {
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
