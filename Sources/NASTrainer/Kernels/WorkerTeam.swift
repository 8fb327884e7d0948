import Dispatch
import Foundation
import Synchronization

/// The threads one training run splits its kernels over: the calling thread plus `threads − 1`
/// workers that stay awake for a short while between parallel regions.
///
/// A batch of the small MLP runs about a dozen parallel regions of 20–200 µs each (GEMM blocks,
/// bias passes, optimizer steps). With Dispatch's `concurrentPerform` every region wakes a parked
/// worker through the kernel (futex, and an inter-processor interrupt under a hypervisor), which
/// took ~10 % of that network's training time. A team's workers instead poll for the next region
/// for `idleSpin` (yielding the core while they poll), and only then park; OpenMP runtimes, which
/// PyTorch uses, do the same. Measured in `make bench` (docs/ARCHITECTURE.md#trainer-threads).
///
/// Work is assigned statically: iteration `i` runs on member `i % threads` (member 0 is the
/// caller), so which thread runs what never changes a result. `Trainer.train` binds a team to
/// `WorkerTeam.current` for the duration of a run; the kernels reach it through
/// `WorkerTeam.perform`, which falls back to `concurrentPerform` outside a run.
final class WorkerTeam: @unchecked Sendable {
    /// The team of the training run on this thread, if any (bound by `Trainer.train`).
    @TaskLocal static var current: WorkerTeam?

    /// How long an idle worker keeps polling before it parks.
    static let idleSpin: Duration = .microseconds(200)

    /// Members, the calling thread included.
    let threads: Int

    private let workers: [Worker]
    /// Bumped once per region; a worker runs the region whose number it has not seen yet.
    private let generation = Atomic<Int>(0)
    /// Workers done with the current region.
    private let finishedWorkers = Atomic<Int>(0)
    private let stopping = Atomic<Bool>(false)
    /// Set while a region runs: a region started from inside another runs inline.
    private let busy = Atomic<Bool>(false)
    /// The region's body and size; written by the caller before it bumps `generation`, read by
    /// workers after they see the new generation (the atomic orders the two).
    private nonisolated(unsafe) var job: ((Int) -> Void)?
    private nonisolated(unsafe) var iterations = 0

    /// A parked-or-not flag and the semaphore a parked worker sleeps on.
    private final class Worker: @unchecked Sendable {
        let parked = Atomic<Bool>(false)
        let wake = DispatchSemaphore(value: 0)
        let exited = DispatchSemaphore(value: 0)
    }

    /// A team of `threads` members: starts `threads − 1` worker threads. Call `stop()` when done.
    init(threads: Int) {
        precondition(threads >= 1, "a team needs at least one thread, got \(threads)")
        self.threads = threads
        workers = (1..<max(threads, 1)).map { _ in Worker() }
        for (index, worker) in workers.enumerated() {
            // The thread holds the team until `stop()` ends it.
            let thread = Thread { self.work(member: index + 1, worker: worker) }
            thread.name = "layernas trainer \(index + 1)"
            thread.start()
        }
    }

    /// Runs `body` with a team of `threads` bound to `current` (no team for one thread), then
    /// stops the team.
    static func withTeam<Result>(threads: Int, _ body: () throws -> Result) rethrows -> Result {
        guard threads > 1 else { return try body() }
        let team = WorkerTeam(threads: threads)
        defer { team.stop() }
        return try $current.withValue(team) { try body() }
    }

    /// Ends the worker threads and waits for them to exit.
    func stop() {
        guard !stopping.exchange(true, ordering: .sequentiallyConsistent) else { return }
        generation.add(1, ordering: .sequentiallyConsistent)
        wakeParkedWorkers()
        for worker in workers { worker.exited.wait() }
    }

    /// Runs `body(i)` for every `i` in `0..<iterations`, `i` on member `i % threads`, and returns
    /// when all are done. Called from the thread that owns the team.
    func perform(iterations: Int, _ body: (Int) -> Void) {
        guard iterations > 1, threads > 1, !busy.exchange(true, ordering: .acquiring) else {
            for i in 0..<max(iterations, 0) { body(i) }
            return
        }
        defer { busy.store(false, ordering: .releasing) }
        withoutActuallyEscaping(body) { body in
            job = body
            self.iterations = iterations
            finishedWorkers.store(0, ordering: .relaxed)
            generation.add(1, ordering: .sequentiallyConsistent)
            wakeParkedWorkers()
            for i in stride(from: 0, to: iterations, by: threads) { body(i) }
            waitForWorkers()
            job = nil
        }
    }

    /// Runs `body(i)` for every `i` in `0..<iterations` on the current run's team, or with
    /// Dispatch's `concurrentPerform` outside a training run.
    static func perform(iterations: Int, _ body: (Int) -> Void) {
        if let team = current {
            team.perform(iterations: iterations, body)
        } else {
            withoutActuallyEscaping(body) { body in
                // Callers give disjoint work to each iteration.
                nonisolated(unsafe) let work = body
                DispatchQueue.concurrentPerform(iterations: iterations) { work($0) }
            }
        }
    }

    private func wakeParkedWorkers() {
        for worker in workers where worker.parked.exchange(false, ordering: .sequentiallyConsistent) {
            worker.wake.signal()
        }
    }

    /// The caller's wait: the workers' shares are about as long as its own, so it polls.
    private func waitForWorkers() {
        while finishedWorkers.load(ordering: .acquiring) < workers.count { sched_yield() }
    }

    private func work(member: Int, worker: Worker) {
        var seen = 0
        while true {
            seen = waitForRegion(after: seen, worker: worker)
            if stopping.load(ordering: .acquiring) { break }
            if let body = job {
                for i in stride(from: member, to: iterations, by: threads) { body(i) }
            }
            finishedWorkers.add(1, ordering: .releasing)
        }
        worker.exited.signal()
    }

    /// Polls for a generation after `seen` for `idleSpin`, then parks until woken; returns it.
    private func waitForRegion(after seen: Int, worker: Worker) -> Int {
        let clock = ContinuousClock()
        var deadline = clock.now + Self.idleSpin
        var polls = 0
        while true {
            let current = generation.load(ordering: .acquiring)
            if current != seen { return current }
            polls += 1
            if polls % 16 == 0, clock.now > deadline {
                park(worker, seen: seen)
                deadline = clock.now + Self.idleSpin
            } else {
                sched_yield()
            }
        }
    }

    /// Sleeps until the caller wakes this worker, unless a region started meanwhile. Whichever
    /// side clears `parked` first decides: the caller then signals, so the worker must wait.
    private func park(_ worker: Worker, seen: Int) {
        worker.parked.store(true, ordering: .sequentiallyConsistent)
        if generation.load(ordering: .sequentiallyConsistent) != seen,
           worker.parked.exchange(false, ordering: .sequentiallyConsistent) {
            return
        }
        worker.wake.wait()
    }
}
