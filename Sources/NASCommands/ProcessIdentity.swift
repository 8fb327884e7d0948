import Foundation

/// Who this process is in the database ("host:pid"), and whether a recorded owner still runs.
enum ProcessIdentity {
    static var hostName: String { ProcessInfo.processInfo.hostName }

    static var current: String { "\(hostName):\(getpid())" }

    /// How long a remote owner's heartbeat counts as alive.
    static let heartbeatTimeout: Double = 600

    /// A local owner is alive while its pid runs a layernas process (its name, or the same
    /// executable as this one); a remote one while its heartbeat is recent.
    static func isAlive(owner: String, heartbeat: Double?) -> Bool {
        guard let separator = owner.lastIndex(of: ":"), let pid = Int32(owner[owner.index(after: separator)...]) else {
            return false
        }
        let host = String(owner[..<separator])
        if host == hostName {
            if pid == getpid() { return false }
            guard kill(pid, 0) == 0 || errno == EPERM else { return false }
            let command = (try? String(contentsOfFile: "/proc/\(pid)/comm", encoding: .utf8)) ?? ""
            let executable = try? FileManager.default.destinationOfSymbolicLink(atPath: "/proc/\(pid)/exe")
            let ownExecutable = try? FileManager.default.destinationOfSymbolicLink(atPath: "/proc/self/exe")
            return command.hasPrefix("layernas") || (executable != nil && executable == ownExecutable)
        }
        guard let heartbeat else { return false }
        return Date().timeIntervalSince1970 - heartbeat < heartbeatTimeout
    }
}
