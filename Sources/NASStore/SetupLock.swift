import Foundation

/// Serializes the set-up of search databases among layernas processes: creating the file,
/// migrating it, and finding or creating the search happen under an exclusive `flock` on the
/// database's folder, so two first-time `search`es of a new file cannot interleave (one creates,
/// the other then finds the search and is refused by its owner's name, or resumes it).
///
/// The lock is on the folder, not on the database: closing a descriptor of the database file
/// would drop SQLite's own POSIX locks on it. It is held for milliseconds. Where the file system
/// has no `flock` (some network file systems), set-up runs unlocked as before.
package enum SetupLock {
    package static func holding<T>(forDatabase path: String, _ work: () throws -> T) throws -> T {
        let folder = URL(fileURLWithPath: path).deletingLastPathComponent().path
        let descriptor = open(folder, O_RDONLY | O_DIRECTORY | O_CLOEXEC)
        if descriptor >= 0 {
            while flock(descriptor, LOCK_EX) != 0 && errno == EINTR {}
        }
        defer {
            if descriptor >= 0 {
                flock(descriptor, LOCK_UN)
                close(descriptor)
            }
        }
        return try work()
    }
}
