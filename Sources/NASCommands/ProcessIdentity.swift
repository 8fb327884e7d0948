import Foundation

/// Who this process is in the database ("host:pid@start", start = the process's start time in
/// clock ticks since boot, so a later process that reuses the pid is someone else), and whether
/// a recorded owner still runs.
enum ProcessIdentity {
    static var hostName: String { ProcessInfo.processInfo.hostName }

    static var current: String {
        let pid = getpid()
        return startTicks(of: pid).map { "\(hostName):\(pid)@\($0)" } ?? "\(hostName):\(pid)"
    }

    /// How long a remote owner's heartbeat counts as alive; a heartbeat further than this in the
    /// future (another machine's clock running ahead) is not trusted either.
    static let heartbeatTimeout: Double = 600

    /// A local owner is alive while its process runs: the same pid with the same start time; for
    /// an owner recorded without a start time (older layernas), a layernas process that started
    /// before the owner's last heartbeat. A remote owner is alive while its heartbeat is recent.
    static func isAlive(owner: String, heartbeat: Double?) -> Bool {
        guard let separator = owner.lastIndex(of: ":") else { return false }
        let host = String(owner[..<separator])
        let process = owner[owner.index(after: separator)...].split(separator: "@", maxSplits: 1)
        guard let first = process.first, let pid = Int32(first) else { return false }
        let recordedStart = process.count == 2 ? UInt64(process[1]) : nil
        if host == hostName {
            if pid == getpid() { return false }
            guard kill(pid, 0) == 0 || errno == EPERM else { return false }
            if let recordedStart { return startTicks(of: pid) == recordedStart }
            if let heartbeat, let started = startTime(of: pid), started > heartbeat + 1 { return false }
            let command = (try? String(contentsOfFile: "/proc/\(pid)/comm", encoding: .utf8)) ?? ""
            let executable = try? FileManager.default.destinationOfSymbolicLink(atPath: "/proc/\(pid)/exe")
            let ownExecutable = try? FileManager.default.destinationOfSymbolicLink(atPath: "/proc/self/exe")
            return command.hasPrefix("layernas") || (executable != nil && executable == ownExecutable)
        }
        guard let heartbeat else { return false }
        let age = Date().timeIntervalSince1970 - heartbeat
        return age < heartbeatTimeout && age > -heartbeatTimeout
    }

    /// Field 22 of `/proc/PID/stat`: when the process started, in clock ticks after boot.
    static func startTicks(of pid: Int32) -> UInt64? {
        guard let stat = try? String(contentsOfFile: "/proc/\(pid)/stat", encoding: .utf8),
              let close = stat.lastIndex(of: ")") else { return nil }
        // Fields after the command name start at field 3 (state); the start time is field 22.
        let fields = stat[stat.index(after: close)...].split(separator: " ")
        return fields.count > 19 ? UInt64(fields[19]) : nil
    }

    /// When the process started, in seconds since 1970 (boot time plus its start ticks).
    static func startTime(of pid: Int32) -> Double? {
        guard let ticks = startTicks(of: pid),
              let stat = try? String(contentsOfFile: "/proc/stat", encoding: .utf8),
              let line = stat.split(separator: "\n").first(where: { $0.hasPrefix("btime ") }),
              let boot = Double(line.dropFirst(6).trimmingCharacters(in: .whitespaces)) else { return nil }
        return boot + Double(ticks) / Double(sysconf(Int32(_SC_CLK_TCK)))
    }
}
