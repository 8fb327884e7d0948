import Dispatch
import Foundation
import Synchronization

/// Runs evaluations on worker threads and hands their outcomes back, one at a time, to the
/// search loop's thread, which alone touches the database and the state.
///
/// Each evaluation gets its own thread: evaluations block (training, waiting for a command), and
/// a dispatch queue would run no more of them at once than there are cores.
final class EvaluationPool: Sendable {
    struct Completion: Sendable {
        var candidateID: Int64
        var outcome: Result<EvaluationResult, EvaluationError>
        var seconds: Double
    }

    private let completed = Mutex<[Completion]>([])
    private let available = DispatchSemaphore(value: 0)

    /// Starts `request` on a worker thread.
    func start(_ request: EvaluationRequest, with evaluator: any Evaluator) {
        let thread = Thread { [self] in
            let started = ContinuousClock.now
            let outcome: Result<EvaluationResult, EvaluationError>
            do throws(EvaluationError) {
                outcome = .success(try evaluator.evaluate(request))
            } catch {
                outcome = .failure(error)
            }
            let duration = ContinuousClock.now - started
            let seconds = Double(duration.components.seconds) + Double(duration.components.attoseconds) * 1e-18
            completed.withLock { $0.append(Completion(candidateID: request.candidateID, outcome: outcome, seconds: seconds)) }
            available.signal()
        }
        thread.stackSize = 8 << 20
        thread.start()
    }

    /// Waits for the next finished evaluation.
    func next() -> Completion {
        available.wait()
        return completed.withLock { $0.removeFirst() }
    }
}
