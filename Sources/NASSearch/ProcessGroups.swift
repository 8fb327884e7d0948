import Foundation
import Synchronization
#if canImport(Glibc)
import Glibc
#endif

/// The process groups of the external commands running now, so that a hard exit (a second
/// Ctrl-C) can take them down too: each command runs in its own group, which the terminal's
/// signals do not reach.
public final class ProcessGroups: Sendable {
    private let groups = Mutex<Set<pid_t>>([])

    public init() {}

    func register(_ group: pid_t) {
        groups.withLock { _ = $0.insert(group) }
    }

    func unregister(_ group: pid_t) {
        groups.withLock { _ = $0.remove(group) }
    }

    /// Sends SIGKILL to every registered group.
    public func killAll() {
        for group in groups.withLock({ $0 }) {
            kill(-group, SIGKILL)
        }
    }
}
