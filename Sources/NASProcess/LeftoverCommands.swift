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

    /// Stops the processes recorded in `file` (lines "pid start", written as an attempt's
    /// process tree was discovered) that still run: the ones that dropped layernas's environment
    /// (`env -i`, `sudo`) and left the command's process group. SIGTERM, up to `grace` seconds,
    /// SIGKILL. Returns the pids it found.
    @discardableResult
    package static func stop(recordedIn file: String, grace: Double) -> [pid_t] {
        guard let text = try? String(contentsOfFile: file, encoding: .utf8) else { return [] }
        let running = text.split(separator: "\n").compactMap(ProcessKey.init(line:)).filter { $0.pid != getpid() && $0.isRunning }
        guard !running.isEmpty else { return [] }
        running.forEach { _ = kill($0.pid, SIGTERM) }
        let deadline = Date().addingTimeInterval(grace)
        while Date() < deadline, running.contains(where: \.isRunning) {
            usleep(20_000)
        }
        ProcessTree.killSurvivors(running)
        return running.map(\.pid).sorted()
    }

    /// Kills at once whatever still carries `LAYERNAS_REQUEST=requestPath` after its attempt
    /// ended: children that left the process group (`setsid`, a double fork) but kept the
    /// environment.
    package static func killRemaining(withRequest requestPath: String) {
        let ownGroup = getpgrp()
        for pid in processes(withRequest: requestPath) {
            let group = getpgid(pid)
            if group > 0 && group != ownGroup { _ = kill(-group, SIGKILL) }
            _ = kill(pid, SIGKILL)
        }
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
