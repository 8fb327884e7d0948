import Foundation
import Synchronization
#if canImport(Glibc)
import Glibc
#endif

/// The process groups of the external commands running now, so that a hard exit (a second
/// Ctrl-C) can take them down too: each command runs in its own group, which the terminal's
/// signals do not reach.
package final class ProcessGroups: Sendable {
    private let groups = Mutex<Set<pid_t>>([])

    /// An empty set; `CommandEvaluator` registers each command's group while it runs.
    package init() {}

    /// Adds a running command's group (its pid) so that `killAll()` reaches it.
    package func register(_ group: pid_t) {
        groups.withLock { _ = $0.insert(group) }
    }

    /// Forgets a group once its command has ended and been reaped (its id may be reused).
    package func unregister(_ group: pid_t) {
        groups.withLock { _ = $0.remove(group) }
    }

    /// Sends SIGKILL to every registered group.
    package func killAll() {
        for group in groups.withLock({ $0 }) {
            kill(-group, SIGKILL)
        }
    }
}
