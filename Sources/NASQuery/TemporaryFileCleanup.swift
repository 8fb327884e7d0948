import Foundation

/// Removes the temporary file of an output in progress when a signal ends the process (Ctrl-C,
/// SIGTERM, SIGHUP, SIGQUIT), so that an interrupted `query --output F` leaves no `.F.PID.tmp`.
///
/// The handler only calls async-signal-safe functions (`unlink`, `signal`, `raise`): it removes
/// the registered file, restores the default action and raises the signal again, so the process
/// still ends the way the signal says. A signal the process was started with ignored stays ignored.
enum TemporaryFileCleanup {
    /// The file to remove, as a C string that outlives any Swift value the handler could touch.
    nonisolated(unsafe) private static var registered: UnsafeMutablePointer<CChar>? = nil
    private static let handledSignals: [Int32] = [SIGINT, SIGTERM, SIGHUP, SIGQUIT]

    private static let installHandlers: Void = {
        for signalNumber in handledSignals {
            var current = sigaction()
            guard sigaction(signalNumber, nil, &current) == 0 else { continue }
            if unsafeBitCast(current.__sigaction_handler.sa_handler, to: Int.self) == unsafeBitCast(SIG_IGN, to: Int.self) { continue }
            var action = sigaction()
            action.__sigaction_handler.sa_handler = { signalNumber in
                if let path = TemporaryFileCleanup.registered { unlink(path) }
                signal(signalNumber, SIG_DFL)
                raise(signalNumber)
            }
            sigemptyset(&action.sa_mask)
            sigaction(signalNumber, &action, nil)
        }
    }()

    /// Removes `path` if a signal ends the process before `release()`.
    static func register(_ path: String) {
        release()
        registered = strdup(path)
        _ = installHandlers
    }

    /// The file is committed or removed: a signal no longer needs to remove it.
    static func release() {
        let previous = registered
        registered = nil
        free(previous)
    }
}
