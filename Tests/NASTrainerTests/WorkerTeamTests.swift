import Foundation
import Synchronization
import Testing
@testable import NASTrainer

@Suite struct WorkerTeamTests {
    /// Which thread ran each iteration, and how often each ran.
    final class Record: @unchecked Sendable {
        private let lock = NSLock()
        private(set) var threadOfIteration: [Int: [pthread_t]] = [:]
        func ran(_ iteration: Int) {
            lock.lock()
            threadOfIteration[iteration, default: []].append(pthread_self())
            lock.unlock()
        }
    }

    @Test(arguments: [1, 2, 3, 7, 16])
    func everyIterationRunsOnceOnItsMember(iterations: Int) {
        let team = WorkerTeam(threads: 3)
        defer { team.stop() }
        let record = Record()
        team.perform(iterations: iterations) { record.ran($0) }
        #expect(record.threadOfIteration.keys.sorted() == Array(0..<iterations))
        #expect(record.threadOfIteration.values.allSatisfy { $0.count == 1 })
        // Iteration i runs on member i % 3; member 0 is the caller.
        for (i, threads) in record.threadOfIteration where iterations > 1 {
            let sameMember = record.threadOfIteration.filter { $0.key % 3 == i % 3 }.map { $0.value[0] }
            #expect(sameMember.allSatisfy { pthread_equal($0, threads[0]) != 0 }, "iteration \(i)")
            #expect((pthread_equal(threads[0], pthread_self()) != 0) == (i % 3 == 0), "iteration \(i)")
        }
    }

    /// Regions keep working after the workers parked (idle longer than `idleSpin`), many times
    /// in a row, and a region started inside another runs inline instead of deadlocking.
    @Test func regionsCompleteAfterParkingAndWhenNested() {
        let team = WorkerTeam(threads: 2)
        defer { team.stop() }
        let total = Atomic<Int>(0)
        for round in 0..<200 {
            if round % 50 == 0 { Thread.sleep(forTimeInterval: 0.005) }  // well past idleSpin: parked
            team.perform(iterations: 4) { _ in total.add(1, ordering: .relaxed) }
        }
        #expect(total.load(ordering: .relaxed) == 800)
        let nested = Atomic<Int>(0)
        team.perform(iterations: 2) { _ in
            WorkerTeam.$current.withValue(team) {
                WorkerTeam.perform(iterations: 3) { _ in nested.add(1, ordering: .relaxed) }
            }
        }
        #expect(nested.load(ordering: .relaxed) == 6)
    }

    /// `withTeam` binds the team for the body only, and a training run splits its kernels on it:
    /// the same seed gives the same bits with the team as with Dispatch threads.
    @Test func withTeamBindsCurrentOnlyInsideTheBody() throws {
        #expect(WorkerTeam.current == nil)
        let threads = WorkerTeam.withTeam(threads: 2) { WorkerTeam.current?.threads }
        #expect(threads == 2)
        #expect(WorkerTeam.current == nil)
        #expect(WorkerTeam.withTeam(threads: 1) { WorkerTeam.current } == nil)

        var random = TestRandom(seed: 5)
        let a = random.matrix(rows: 200, cols: 300), b = random.matrix(rows: 300, cols: 64)
        var onDispatch = Matrix(rows: 200, cols: 64), onTeam = Matrix(rows: 200, cols: 64)
        BLASInfo.setThreads(1)
        Matrix.parallelGemm(a, b, into: &onDispatch, parallelism: 2, minimumSplitWork: 1)
        WorkerTeam.withTeam(threads: 2) { Matrix.parallelGemm(a, b, into: &onTeam, parallelism: 2, minimumSplitWork: 1) }
        #expect(onTeam == onDispatch)
    }
}
