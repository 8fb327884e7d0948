import Foundation
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Runs one external program in its own process group, with its standard streams connected to
/// files, and waits for it under a deadline and a cancellation check.
///
/// Why `posix_spawn` with `POSIX_SPAWN_SETPGROUP`: the child is put in a new process group (its
/// own pid) by the C library *before* `exec`, so there is no moment at which the program or
/// anything it starts runs in layernas's group. Foundation's `Process` offers no process-group
/// setting, and calling `setpgid` from the parent after launch races with the child's `exec` (it
/// fails with `EACCES` once the child has exec'd, and children forked before it stay behind).
///
/// The streams are files, not pipes: the kernel writes the program's output straight to disk, so
/// a program that prints gigabytes neither blocks on a full pipe nor makes layernas buffer it;
/// only the tail of a file is read back (`ProcessLogFile`).
///
/// The child also starts with default signal dispositions and an empty signal mask
/// (`POSIX_SPAWN_SETSIGDEF`, `POSIX_SPAWN_SETSIGMASK`): layernas ignores SIGINT and SIGTERM to
/// handle them itself, and ignored signals are inherited across `exec`, so without this the
/// program could not be stopped with SIGTERM. Descriptors other than 0, 1 and 2 are closed in the
/// child when the C library can (glibc ≥ 2.34, `posix_spawn_file_actions_addclosefrom_np`).
///
/// Stopping: SIGTERM to the whole group, up to `killGrace` seconds for the program to exit, then
/// SIGKILL to the whole group. When the program exits by itself, whatever it left running in its
/// group is killed too, so an evaluation never leaks processes. The group is always signalled
/// while the program is still an unreaped zombie, so its id cannot have been reused.
package struct ProcessRunner: Sendable {
    /// Absolute or PATH-resolved path of the program.
    package var executable: String
    /// Full argument vector, `arguments[0]` being the program name as the user wrote it.
    package var arguments: [String]
    /// `NAME=value` entries, the whole environment of the program.
    package var environment: [String]
    /// File opened read-only as standard input.
    package var standardInput: String
    /// File opened for appending as standard output (created when missing).
    package var standardOutput: String
    /// File opened for appending as standard error (created when missing).
    package var standardError: String
    /// Seconds the program may run; `nil` means no limit.
    package var timeoutSeconds: Double?
    /// Seconds between SIGTERM and SIGKILL when the program is stopped.
    package var killGrace: Double
    /// Seconds between two checks of the program and of `isCancelled`.
    package var pollInterval: Double

    /// A runner for one program; nothing starts until `run(isCancelled:started:)`.
    package init(
        executable: String, arguments: [String], environment: [String], standardInput: String,
        standardOutput: String, standardError: String, timeoutSeconds: Double?, killGrace: Double,
        pollInterval: Double = 0.01
    ) {
        self.executable = executable
        self.arguments = arguments
        self.environment = environment
        self.standardInput = standardInput
        self.standardOutput = standardOutput
        self.standardError = standardError
        self.timeoutSeconds = timeoutSeconds
        self.killGrace = killGrace
        self.pollInterval = pollInterval
    }

    /// How the program ended.
    package enum Termination: Sendable, Equatable {
        /// It exited with this status.
        case exited(Int32)
        /// A signal killed it (not sent by us).
        case signaled(Int32)
        /// It ran past the timeout; its group was killed.
        case timedOut
        /// `isCancelled` returned true; its group was killed.
        case cancelled
        /// It ended but its status was collected by someone else (a `waitpid(-1)` elsewhere).
        case unknown
    }

    /// The program could not be started.
    package struct LaunchError: Error, Sendable, CustomStringConvertible {
        /// Why `posix_spawn` failed (`EAGAIN`, `ENOMEM`, `ENOENT`, ...).
        package var errno: Int32
        /// The C library's message for `errno`.
        package var description: String { String(cString: strerror(errno)) }
        /// Whether the system was only short of processes or memory (`EAGAIN`, `ENOMEM`), so a
        /// later attempt may start; any other failure will repeat.
        package var isTemporary: Bool { errno == EAGAIN || errno == ENOMEM }
    }

    /// Starts the program, waits for it to end, and kills what is left of its process group.
    ///
    /// - Parameter started: called with the program's pid (= its process group id) right after it
    ///   starts, before waiting.
    /// - Throws: `LaunchError` when `posix_spawn` fails.
    ///   - discovered: called with processes of the program's tree as they are first seen
    ///     (`ProcessTree`, every `treeScanInterval`), so they can be recorded and stopped after a
    ///     crash of layernas; whatever of them still runs when the program ends is killed.
    package func run(
        isCancelled: () -> Bool, started: (pid_t) -> Void = { _ in }, discovered: (Set<ProcessKey>) -> Void = { _ in }
    ) throws(LaunchError) -> Termination {
        let pid = try spawn()
        started(pid)
        let clock = ContinuousClock()
        let deadline = timeoutSeconds.map { clock.now + .seconds($0) }
        var known = Set<ProcessKey>()
        var nextScan = clock.now
        defer { ProcessTree.killSurvivors(known) }
        while true {
            if clock.now >= nextScan {
                let new = ProcessTree.processes(under: pid).subtracting(known)
                if !new.isEmpty {
                    known.formUnion(new)
                    discovered(new)
                }
                nextScan = clock.now + .seconds(Self.treeScanInterval)
            }
            if isZombie(pid) {
                killGroup(pid, signal: SIGKILL)
                ProcessTree.killSurvivors(known)
                return decode(reap(pid))
            }
            if isCancelled() {
                stop(pid, alsoStopping: known)
                return .cancelled
            }
            if let deadline, clock.now >= deadline {
                stop(pid, alsoStopping: known)
                return .timedOut
            }
            pause(pollInterval)
        }
    }

    /// Seconds between two scans of the program's process tree: often enough to see a
    /// long-running child before its parent exits, rarely enough to cost nothing measurable.
    static let treeScanInterval = 0.1

    /// The C library's name of a signal (`Terminated`, `Killed`), or `signal N` when it has none.
    /// Here because reading it means following a C pointer, which this module keeps to itself.
    package static func signalName(_ signal: Int32) -> String {
        guard let name = strsignal(signal) else { return "signal \(signal)" }
        return String(cString: name)
    }

    // MARK: - Starting

    private func spawn() throws(LaunchError) -> pid_t {
        var actions = posix_spawn_file_actions_t()
        var attributes = posix_spawnattr_t()
        posix_spawn_file_actions_init(&actions)
        posix_spawnattr_init(&attributes)
        defer {
            posix_spawn_file_actions_destroy(&actions)
            posix_spawnattr_destroy(&attributes)
        }
        posix_spawn_file_actions_addopen(&actions, 0, standardInput, O_RDONLY, 0)
        posix_spawn_file_actions_addopen(&actions, 1, standardOutput, O_WRONLY | O_CREAT | O_APPEND, 0o644)
        posix_spawn_file_actions_addopen(&actions, 2, standardError, O_WRONLY | O_CREAT | O_APPEND, 0o644)
        Self.addCloseFrom(&actions, 3)

        var defaults = sigset_t()
        sigemptyset(&defaults)
        for signal in [SIGINT, SIGTERM, SIGHUP, SIGQUIT, SIGPIPE, SIGCHLD, SIGUSR1, SIGUSR2, SIGALRM] {
            sigaddset(&defaults, signal)
        }
        var mask = sigset_t()
        sigemptyset(&mask)
        posix_spawnattr_setsigdefault(&attributes, &defaults)
        posix_spawnattr_setsigmask(&attributes, &mask)
        posix_spawnattr_setpgroup(&attributes, 0)
        posix_spawnattr_setflags(&attributes, Int16(POSIX_SPAWN_SETPGROUP | POSIX_SPAWN_SETSIGDEF | POSIX_SPAWN_SETSIGMASK))

        var pid: pid_t = 0
        let status = Self.withCStringArray(arguments) { argv in
            Self.withCStringArray(environment) { envp in
                posix_spawn(&pid, executable, &actions, &attributes, argv, envp)
            }
        }
        guard status == 0 else { throw LaunchError(errno: status) }
        return pid
    }

    /// Calls `body` with a NULL-terminated array of C strings that lives only during the call.
    private static func withCStringArray<R>(_ strings: [String], _ body: ([UnsafeMutablePointer<CChar>?]) -> R) -> R {
        let pointers: [UnsafeMutablePointer<CChar>?] = strings.map { strdup($0) } + [nil]
        defer { pointers.forEach { free($0) } }
        return body(pointers)
    }

    private typealias AddCloseFrom = @convention(c) (UnsafeMutablePointer<posix_spawn_file_actions_t>, Int32) -> Int32

    /// `posix_spawn_file_actions_addclosefrom_np` when the C library has it (glibc 2.34+; the
    /// Swift Glibc module does not import it, so it is looked up by name).
    private static let closeFrom: AddCloseFrom? = {
        #if os(Linux)
        guard let symbol = dlsym(UnsafeMutableRawPointer(bitPattern: 0), "posix_spawn_file_actions_addclosefrom_np") else { return nil }
        return unsafeBitCast(symbol, to: AddCloseFrom.self)
        #else
        return nil
        #endif
    }()

    private static func addCloseFrom(_ actions: inout posix_spawn_file_actions_t, _ lowest: Int32) {
        guard let closeFrom else { return }
        _ = withUnsafeMutablePointer(to: &actions) { closeFrom($0, lowest) }
    }

    // MARK: - Waiting and stopping

    /// Whether the program has ended, without reaping it (its pid stays reserved).
    private func isZombie(_ pid: pid_t) -> Bool {
        var info = siginfo_t()
        while true {
            let status = waitid(P_PID, id_t(pid), &info, WEXITED | WNOHANG | WNOWAIT)
            if status == 0 { return info.si_signo == SIGCHLD }
            if errno == EINTR { continue }
            // ECHILD: someone else reaped it; nothing is left to wait for.
            return true
        }
    }

    /// Reaps the program and returns its raw wait status; `nil` when it was already reaped.
    private func reap(_ pid: pid_t) -> Int32? {
        var status: Int32 = 0
        while true {
            if waitpid(pid, &status, 0) == pid { return status }
            if errno != EINTR { return nil }
        }
    }

    /// SIGTERM to the group (and to the known processes of the tree that left it), a grace
    /// period, then SIGKILL; reaps the program.
    private func stop(_ pid: pid_t, alsoStopping known: Set<ProcessKey>) {
        killGroup(pid, signal: SIGTERM)
        for key in known where key.pid != pid && key.isRunning { _ = kill(key.pid, SIGTERM) }
        let clock = ContinuousClock()
        let end = clock.now + .seconds(killGrace)
        while clock.now < end, !isZombie(pid) {
            pause(pollInterval)
        }
        killGroup(pid, signal: SIGKILL)
        ProcessTree.killSurvivors(known)
        _ = reap(pid)
    }

    /// Sends `signal` to the program's process group and to the program itself (in case it moved
    /// to another group).
    private func killGroup(_ pid: pid_t, signal: Int32) {
        _ = kill(-pid, signal)
        _ = kill(pid, signal)
    }

    private func decode(_ status: Int32?) -> Termination {
        guard let status else { return .unknown }
        let signal = status & 0x7F
        return signal == 0 ? .exited((status >> 8) & 0xFF) : .signaled(signal)
    }

    private func pause(_ seconds: Double) {
        usleep(useconds_t(max(seconds, 0.001) * 1_000_000))
    }
}
