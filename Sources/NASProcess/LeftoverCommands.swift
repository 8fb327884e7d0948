import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// External commands that an earlier layernas process started and could not stop because it
/// died first (`kill -9`, a crash, an out-of-memory kill): their process groups outlive it, keep
/// using the machine, and would write into the working directory of the attempt that replaces
/// them.
///
/// Such a command is recognised by its environment, which layernas set and every process it
/// starts inherits: `LAYERNAS_REQUEST` is the path of one candidate's `request.json`, unique to
/// that candidate of that database. Only processes of this user are visible (`/proc/PID/environ`
/// is readable by its owner), and only on this machine: a command that a launcher started on
/// another host is out of reach.
package enum LeftoverCommands {
    /// The processes whose environment has `LAYERNAS_REQUEST=requestPath`, other than this one.
    package static func processes(withRequest requestPath: String, procRoot: String = "/proc") -> [pid_t] {
        guard let entries = try? FileManager.default.contentsOfDirectory(atPath: procRoot) else { return [] }
        let wanted = Array("LAYERNAS_REQUEST=\(requestPath)".utf8)
        let me = getpid()
        var found: [pid_t] = []
        for entry in entries {
            guard let pid = pid_t(entry), pid != me,
                  let environ = FileManager.default.contents(atPath: "\(procRoot)/\(entry)/environ") else { continue }
            if environ.split(separator: 0, omittingEmptySubsequences: true).contains(where: { $0.elementsEqual(wanted) }) {
                found.append(pid)
            }
        }
        return found.sorted()
    }

    /// Stops every process left running for `requestPath`, with its process group: SIGTERM, up
    /// to `grace` seconds to exit, then SIGKILL. Returns the pids it found (empty: nothing left).
    @discardableResult
    package static func stop(requestPath: String, grace: Double) -> [pid_t] {
        let pids = processes(withRequest: requestPath)
        guard !pids.isEmpty else { return [] }
        let ownGroup = getpgrp()
        // A command runs in its own group; signal the group so its children go too, but never
        // this process's own group.
        let targets = Set(pids.map { pid -> pid_t in
            let group = getpgid(pid)
            return group > 0 && group != ownGroup ? -group : pid
        })
        targets.forEach { kill($0, SIGTERM) }
        let deadline = Date().addingTimeInterval(grace)
        while Date() < deadline, !processes(withRequest: requestPath).isEmpty {
            usleep(20_000)
        }
        targets.forEach { kill($0, SIGKILL) }
        return pids
    }
}
