import Foundation

/// The folder beside a database that holds the working directories of its candidates
/// (docs/ARCHITECTURE.md#external-commands). It is named after the whole database file name and
/// marked with the identity of the database it belongs to, so two databases never share one.
package enum ArtifactsDirectory {
    /// The file inside the folder that names its database.
    package static let markerName = ".layernas-database"

    /// Why a folder cannot be used.
    package enum Refusal: Error, Sendable, Equatable, CustomStringConvertible {
        /// The folder is marked by another database that still exists: a user mistake.
        case belongsToAnother(root: String, database: String)
        /// The folder cannot be created or marked: the machine's problem, not the search's.
        case unusable(root: String, reason: String)

        package var description: String {
            switch self {
            case .belongsToAnother(let root, let database):
                return "\(root): the working directories of another database (\(database)); move one of the two databases"
            case .unusable(let root, let reason):
                return "\(root): cannot use the folder for the candidates' working directories: \(reason); fix it and run the same command again to resume"
            }
        }
    }

    /// What the marker records: where the database was and which file it was.
    struct Marker: Codable, Equatable {
        var database: String
        var device: UInt64
        var inode: UInt64
    }

    /// `runs/ext.db` → `runs/ext.db-artifacts`: the whole file name, so that `t.db`, `t.sqlite`
    /// and `t` get folders of their own.
    package static func defaultRoot(database: String) -> String {
        let url = URL(fileURLWithPath: database).standardizedFileURL
        return url.deletingLastPathComponent().appendingPathComponent(url.lastPathComponent + "-artifacts").path
    }

    /// Creates `root` when missing and marks it as `database`'s. A folder marked by another
    /// database is refused while that database exists (same device and inode as marked); a marker
    /// whose database is gone or moved is taken over.
    package static func claim(root: String, database: String) throws(Refusal) {
        guard let identity = fileIdentity(database) else {
            throw .unusable(root: root, reason: "cannot identify the database file \(database)")
        }
        do {
            try FileManager.default.createDirectory(atPath: root, withIntermediateDirectories: true)
        } catch {
            throw .unusable(root: root, reason: reasonText(error))
        }
        var isFolder: ObjCBool = false
        guard FileManager.default.fileExists(atPath: root, isDirectory: &isFolder), isFolder.boolValue else {
            throw .unusable(root: root, reason: "it is not a folder")
        }
        let markerPath = root + "/" + markerName
        if let data = FileManager.default.contents(atPath: markerPath),
           let marker = try? JSONDecoder().decode(Marker.self, from: data) {
            if (marker.device, marker.inode) == identity { return }
            if let current = fileIdentity(marker.database), current == (marker.device, marker.inode) {
                throw .belongsToAnother(root: root, database: marker.database)
            }
        }
        let canonical = URL(fileURLWithPath: database).standardizedFileURL.resolvingSymlinksInPath().path
        let marker = Marker(database: canonical, device: identity.device, inode: identity.inode)
        do {
            let encoder = JSONEncoder()
            encoder.outputFormatting = [.sortedKeys]
            try encoder.encode(marker).write(to: URL(fileURLWithPath: markerPath), options: .atomic)
        } catch {
            throw .unusable(root: root, reason: reasonText(error))
        }
    }

    /// Removes the working directories `<root>/<id>` of the given candidates, if `root` is marked
    /// as `database`'s (a folder of another database is never touched), and then the folder itself
    /// when nothing but its marker is left. Returns how many directories were removed.
    package static func removeWorkingDirectories(root: String, database: String, candidateIDs: [Int64]) throws -> Int {
        guard let identity = fileIdentity(database),
              let data = FileManager.default.contents(atPath: root + "/" + markerName),
              let marker = try? JSONDecoder().decode(Marker.self, from: data),
              (marker.device, marker.inode) == identity else { return 0 }
        var removed = 0
        for id in candidateIDs {
            let folder = root + "/" + String(id)
            guard FileManager.default.fileExists(atPath: folder) else { continue }
            try FileManager.default.removeItem(atPath: folder)
            removed += 1
        }
        let left = (try? FileManager.default.contentsOfDirectory(atPath: root)) ?? [markerName]
        if left == [markerName] {
            try FileManager.default.removeItem(atPath: root)
        }
        return removed
    }

    /// Device and inode of the file at `path` (after symbolic links).
    static func fileIdentity(_ path: String) -> (device: UInt64, inode: UInt64)? {
        var info = stat()
        guard stat(path, &info) == 0 else { return nil }
        return (UInt64(info.st_dev), UInt64(info.st_ino))
    }

    private static func reasonText(_ error: any Error) -> String {
        let nsError = error as NSError
        if let underlying = nsError.userInfo[NSUnderlyingErrorKey] as? NSError, underlying.domain == NSPOSIXErrorDomain {
            return String(cString: strerror(Int32(underlying.code)))
        }
        if nsError.domain == NSPOSIXErrorDomain { return String(cString: strerror(Int32(nsError.code))) }
        return nsError.localizedDescription
    }
}
