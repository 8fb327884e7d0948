import Dispatch
import Foundation
import Synchronization

/// Turns SIGINT, SIGTERM and SIGHUP (a closed terminal or dropped SSH session) into a flag the
/// search checks between evaluations; a second signal, or SIGQUIT (Ctrl-\\), exits at once with
/// status 130 (131 for SIGQUIT), after `onHardExit` (which kills running external commands).
final class InterruptFlag: Sendable {
    private let raised = Atomic<Int>(0)
    private let onHardExit: @Sendable () -> Void

    init(onHardExit: @escaping @Sendable () -> Void = {}) {
        self.onHardExit = onHardExit
    }

    var isRaised: Bool { raised.load(ordering: .relaxed) > 0 }

    /// Starts listening. The returned sources must stay alive while the search runs.
    func listen() -> [DispatchSourceSignal] {
        let queue = DispatchQueue(label: "layernas.signals")
        return [SIGINT, SIGTERM, SIGHUP, SIGQUIT].map { signalNumber in
            signal(signalNumber, SIG_IGN)
            let source = DispatchSource.makeSignalSource(signal: signalNumber, queue: queue)
            source.setEventHandler { [self] in
                if signalNumber != SIGQUIT && raised.add(1, ordering: .relaxed).newValue == 1 {
                    FileHandle.standardError.write(Data("\nstopping: the evaluation in progress is put back and runs again on resume (press Ctrl-C again to stop at once)\n".utf8))
                } else {
                    onHardExit()
                    FileHandle.standardError.write(Data("\nstopped now; run the same command again to resume\n".utf8))
                    _exit(signalNumber == SIGQUIT ? 131 : 130)
                }
            }
            source.resume()
            return source
        }
    }
}
