import Foundation
import NASTestSupport
import Testing
@testable import NASCommands

/// `--jobs` and `--threads` when left out (docs/ARCHITECTURE.md#parallelism-defaults).
@Suite struct ParallelismChoiceTests {
    @Test func theTrainerRunsAsManyTrainingsAsAStepOffersUpToTheCores() {
        let choose = { (jobs: Int?, threads: Int?, cores: Int, width: Int) in
            ParallelismChoice.choose(jobs: jobs, threads: threads, cores: cores, isTrainer: true, evaluationsPerStep: width)
        }
        #expect(choose(nil, nil, 2, 2) == ParallelismChoice(jobs: 2, threads: 1))
        #expect(choose(nil, nil, 8, 2) == ParallelismChoice(jobs: 2, threads: 4))
        #expect(choose(nil, nil, 4, 16) == ParallelismChoice(jobs: 4, threads: 1))
        #expect(choose(nil, nil, 6, 4) == ParallelismChoice(jobs: 4, threads: 1), "6 / 4 cores leaves one thread each")
        #expect(choose(nil, nil, 8, 1) == ParallelismChoice(jobs: 1, threads: 8), "a baseline strategy evaluates one at a time")
        #expect(choose(nil, nil, 1, 4) == ParallelismChoice(jobs: 1, threads: 1))
        // What the user gives is kept; the other is fitted around it.
        #expect(choose(3, nil, 8, 2) == ParallelismChoice(jobs: 3, threads: 2))
        #expect(choose(nil, 2, 8, 16) == ParallelismChoice(jobs: 4, threads: 2))
        #expect(choose(nil, 4, 2, 16) == ParallelismChoice(jobs: 1, threads: 4))
        #expect(choose(5, 3, 2, 1) == ParallelismChoice(jobs: 5, threads: 3))
    }

    @Test func externalCommandsRunOneAtATimeUnlessTold() {
        #expect(ParallelismChoice.choose(jobs: nil, threads: nil, cores: 8, isTrainer: false, evaluationsPerStep: 4).jobs == 1)
        #expect(ParallelismChoice.choose(jobs: 6, threads: nil, cores: 8, isTrainer: false, evaluationsPerStep: 4).jobs == 6)
    }

    /// The built binary names its choice, which follows the stored strategy's step width.
    @Test func searchSaysWhatItChose() throws {
        let directory = try TemporaryDirectory()
        let spec = try TrainerSearchTests.writeTinySpace(in: directory)
        let cores = ProcessInfo.processInfo.activeProcessorCount
        for (strategy, width) in [("layernas", 2), ("random", 1)] {
            let result = try CommandRunner.run(["search", directory.path("\(strategy).db"), "--space", spec, "--strategy", strategy, "--budget", "2"])
            #expect(result.status == 0, "\(result.stderr)")
            let jobs = max(1, min(width, cores))
            let threads = max(1, cores / jobs)
            #expect(result.stderr.contains("\(jobs) at once × \(threads) thread\(threads == 1 ? "" : "s"))"), "\(result.stderr)")
        }
    }
}
