import Foundation
import NASSearch

/// The tails of an external command's `stdout.log` and `stderr.log`, read from the candidate's
/// own working directory `<database>-artifacts/<id>/` (`ArtifactsDirectory`). Only these two
/// names are ever opened, the id is a number, and the file found (after symbolic links) must lie
/// inside that directory, so no request can read any other file (docs/ARCHITECTURE.md#dashboard).
enum CandidateLogs {
    /// The only files served.
    static let names = ["stdout.log", "stderr.log"]
    /// How much of the end of a log is shown.
    static let tailBytes = 16 * 1024

    /// The last `tailBytes` of log `name` of candidate `id`, as text; nil when the name is not a
    /// log name, the file is missing, or it resolves outside the candidate's directory.
    static func tail(database: String, candidateID: Int64, name: String) -> String? {
        guard names.contains(name) else { return nil }
        let folder = ArtifactsDirectory.defaultRoot(database: database) + "/" + String(candidateID)
        let resolvedFolder = URL(fileURLWithPath: folder).resolvingSymlinksInPath().path
        let resolvedFile = URL(fileURLWithPath: folder + "/" + name).resolvingSymlinksInPath().path
        guard resolvedFile.hasPrefix(resolvedFolder + "/"),
              let handle = FileHandle(forReadingAtPath: resolvedFile) else { return nil }
        defer { try? handle.close() }
        guard let size = try? handle.seekToEnd() else { return nil }
        let start = size > UInt64(tailBytes) ? size - UInt64(tailBytes) : 0
        try? handle.seek(toOffset: start)
        let data = (try? handle.readToEnd()) ?? Data()
        let text = String(decoding: data, as: UTF8.self)
        return start > 0 ? "…" + text : text
    }
}
