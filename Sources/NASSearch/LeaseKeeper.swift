import Dispatch
import NASStore

/// Renews the lease of the evaluation in progress every `interval` seconds, on its own queue,
/// so a long training keeps its owner visibly alive; stops when the evaluation ends.
final class LeaseKeeper {
    private let timer: DispatchSourceTimer

    init(store: Store, searchID: Int64, candidateID: Int64, owner: String, leaseSeconds: Double,
         interval: Double, now: @escaping @Sendable () -> Double) {
        timer = DispatchSource.makeTimerSource(queue: DispatchQueue(label: "layernas.lease"))
        timer.schedule(deadline: .now() + interval, repeating: interval)
        timer.setEventHandler {
            let time = now()
            // A failed renewal is not fatal: the result commit that follows carries the truth.
            try? store.renewLease(searchID: searchID, candidateID: candidateID, owner: owner,
                                  expiresAt: time + leaseSeconds, now: time)
        }
        timer.resume()
    }

    func stop() {
        timer.cancel()
    }
}
