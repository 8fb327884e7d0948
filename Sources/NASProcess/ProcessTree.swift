import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// One process, told apart from any later process that reuses its pid by its start time.
package struct ProcessKey: Hashable, Sendable, CustomStringConvertible {
    package var pid: pid_t
    /// Field 22 of `/proc/PID/stat`: clock ticks after boot when the process started.
    package var startTicks: UInt64

    package init(pid: pid_t, startTicks: UInt64) {
        self.pid = pid
        self.startTicks = startTicks
    }

    /// "pid start", one line of a recorded-processes file.
    package var description: String { "\(pid) \(startTicks)" }

    /// Parses a line written by `description`.
    package init?(line: Substring) {
        let fields = line.split(separator: " ")
        guard fields.count == 2, let pid = pid_t(fields[0]), let start = UInt64(fields[1]) else { return nil }
        self.init(pid: pid, startTicks: start)
    }

    /// Whether this very process still runs (and is not a zombie).
    package var isRunning: Bool {
        guard let entry = ProcessTree.entry(pid) else { return false }
        return entry.startTicks == startTicks && entry.state != "Z"
    }
}

/// The processes an external command started, found through `/proc` by parent links: what a
/// command leaves behind when it moves out of its process group (`setsid`, a double fork, a
/// daemon) or drops layernas's environment (`env -i`, `sudo`). docs/ARCHITECTURE.md#external-commands.
package enum ProcessTree {
    struct Entry {
        var parent: pid_t
        var startTicks: UInt64
        var state: Character
    }

    /// Parent, start time and state of one process, from `/proc/PID/stat`.
    static func entry(_ pid: pid_t, procRoot: String = "/proc") -> Entry? {
        guard let stat = try? String(contentsOfFile: "\(procRoot)/\(pid)/stat", encoding: .utf8),
              let close = stat.lastIndex(of: ")") else { return nil }
        // After the name: state (field 3), parent (4), ..., start time (22).
        let fields = stat[stat.index(after: close)...].split(separator: " ")
        guard fields.count > 19, let state = fields[0].first, let parent = pid_t(fields[1]),
              let start = UInt64(fields[19]) else { return nil }
        return Entry(parent: parent, startTicks: start, state: state)
    }

    /// `root` and every process below it now, as keys.
    package static func processes(under root: pid_t, procRoot: String = "/proc") -> Set<ProcessKey> {
        guard let entries = try? FileManager.default.contentsOfDirectory(atPath: procRoot) else { return [] }
        var children: [pid_t: [pid_t]] = [:]
        var starts: [pid_t: UInt64] = [:]
        for name in entries {
            guard let pid = pid_t(name), let entry = entry(pid, procRoot: procRoot) else { continue }
            children[entry.parent, default: []].append(pid)
            starts[pid] = entry.startTicks
        }
        var found = Set<ProcessKey>()
        var queue = [root]
        while let pid = queue.popLast() {
            guard let start = starts[pid], found.insert(ProcessKey(pid: pid, startTicks: start)).inserted else { continue }
            queue.append(contentsOf: children[pid] ?? [])
        }
        return found
    }

    /// Sends SIGKILL to every process of `keys` that still runs, and to the process group it
    /// leads (a `setsid` child leads its own), never to this process's group.
    package static func killSurvivors(_ keys: some Sequence<ProcessKey>) {
        let ownGroup = getpgrp()
        for key in keys where key.pid != getpid() && key.isRunning {
            if getpgid(key.pid) == key.pid && key.pid != ownGroup { _ = kill(-key.pid, SIGKILL) }
            _ = kill(key.pid, SIGKILL)
        }
    }
}
