/// How many evaluations `search` keeps running at once (`--jobs`) and how many threads each
/// built-in training gets (`--threads`) when the user leaves either out
/// (docs/ARCHITECTURE.md#parallelism-defaults).
///
/// Small networks train faster as several single-threaded trainings than as one multi-threaded
/// one (their GEMMs are too thin to keep two cores busy; `make bench` measures both), so for the
/// built-in trainer the default runs as many trainings as a step offers, up to the cores, and
/// gives each the cores left. A step's width is a search setting, so the choice never changes
/// which candidates are evaluated. External commands keep one job: their resources are unknown.
struct ParallelismChoice: Equatable {
    let jobs: Int
    let threads: Int

    /// - Parameters:
    ///   - jobs: `--jobs`, if given.
    ///   - threads: `--threads`, if given.
    ///   - evaluationsPerStep: the most evaluations one step of the search can run at once.
    static func choose(jobs: Int?, threads: Int?, cores: Int, isTrainer: Bool, evaluationsPerStep: Int) -> ParallelismChoice {
        let cores = max(1, cores)
        let chosenJobs: Int
        if let jobs {
            chosenJobs = jobs
        } else if isTrainer {
            chosenJobs = max(1, min(evaluationsPerStep, cores / (threads ?? 1)))
        } else {
            chosenJobs = 1
        }
        return ParallelismChoice(jobs: chosenJobs, threads: threads ?? max(1, cores / chosenJobs))
    }
}
