import Dispatch
import Foundation
import Synchronization

/// Turns SIGINT and SIGTERM into a flag the search checks between evaluations; a second signal
/// exits at once with status 130, after `onHardExit` (which kills running external commands).
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
        return [SIGINT, SIGTERM].map { signalNumber in
            signal(signalNumber, SIG_IGN)
            let source = DispatchSource.makeSignalSource(signal: signalNumber, queue: queue)
            source.setEventHandler { [self] in
                if raised.add(1, ordering: .relaxed).newValue == 1 {
                    FileHandle.standardError.write(Data("\nstopping after the current evaluation (press Ctrl-C again to quit now)\n".utf8))
                } else {
                    onHardExit()
                    _exit(130)
                }
            }
            source.resume()
            return source
        }
    }
}
