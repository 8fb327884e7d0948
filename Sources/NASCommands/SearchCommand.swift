import ArgumentParser
import Foundation
import NASProcess
import NASSearch
import NASSpace
import NASStore
import NASTrainer

extension SearchStrategy: ExpressibleByArgument {}

/// `layernas search DB`: create a search or resume it, and run it to the end of its limits.
struct SearchCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "search",
        abstract: "Run (or resume) a search, committing every candidate and score as it happens.",
        discussion: """
            The first run creates the search from --space and stores the space, the settings and \
            the seed. Running the same command again, after Ctrl-C, kill -9 or a reboot, resumes it \
            and ends with the result an uninterrupted run gives. Settings cannot change on resume; \
            --budget and --time-limit can, to extend a finished search.

            Example:
              layernas search runs/burger.db --space examples/burger.yaml \\
                  --evaluator synthetic --buckets 4 --per-bucket 2
              layernas search runs/burger.db            # resume after an interruption
              layernas search runs/burger.db --budget 50  # extend
            """
    )

    @Argument(help: "Path of the search database (created if missing).")
    var database: String

    @Option(help: "Search-space file (YAML or JSON); needed to create a search.")
    var space: String?

    @Option(help: "Name of the search in the database (default: the space's name, or the only search).")
    var name: String?

    // Optional, so that a resume keeps the stored strategy; the default is in the help text.
    @Option(help: "Strategy of a new search (default: layernas, the anytime LayerNAS; layernas-paper is the paper's algorithm).")
    var strategy: SearchStrategy?

    @Option(help: "Evaluator of a new search: \(EvaluatorSpec.forms) (default: the spec's evaluator, else trainer for mlp/cnn).")
    var evaluator: String?

    // Numeric options take the next argument whatever it looks like (`parsing: .unconditional`),
    // so `--budget -5` reaches the range check and is refused for its value, not as a flag.
    @Option(parsing: .unconditional, help: "Seed of every random draw (default: 1).")
    var seed: UInt64?

    @Option(parsing: .unconditional, help: "H: cost buckets per layer (default: \(SearchSettings.defaultAnytimeBuckets) for layernas, the finest it grows to; \(SearchSettings.defaultBuckets) for layernas-paper).")
    var buckets: Int?

    @Option(name: .customLong("per-bucket"), parsing: .unconditional, help: "k: candidates kept per bucket (default: \(SearchSettings.defaultAnytimePerBucket) for layernas, \(SearchSettings.defaultPerBucket) for layernas-paper).")
    var perBucket: Int?

    @Option(parsing: .unconditional, help: "P: parents drawn per step (default: \(SearchSettings.defaultParents)); for layernas also the children per step: use --parents N with --jobs N.")
    var parents: Int?

    @Option(parsing: .unconditional, help: "Q: feasible children per parent per step, layernas-paper (default: \(SearchSettings.defaultChildren)).")
    var children: Int?

    @Flag(name: .customLong("layerwise-strict"), help: "layernas-paper: finish layer i before expanding layer i+1 (bounds evaluations by k·H·Σ|S_i|).")
    var layerwiseStrict = false

    @Option(parsing: .unconditional, help: "Regularized evolution: population size (default: \(SearchSettings.defaultPopulation)).")
    var population: Int?

    @Option(name: .customLong("sample-size"), parsing: .unconditional, help: "Regularized evolution: tournament size (default: \(SearchSettings.defaultSampleSize)).")
    var sampleSize: Int?

    @Option(parsing: .unconditional, help: "Stop after this many evaluations in total (may be raised on resume; default: no limit).")
    var budget: Int?

    @Option(name: .customLong("time-limit"), parsing: .unconditional, help: "Stop after this much search time in total, e.g. 90s, 30m, 2h (may be raised on resume; default: no limit).")
    var timeLimit: String?

    /// Stored with the search's space.
    @OptionGroup var recipe: RecipeOptions

    @Option(parsing: .unconditional, help: "Evaluations run at once; the result is the same for every value (default: built-in trainer, as many as a step offers up to the cores; commands, 1).")
    var jobs: Int?

    @Option(name: .customLong("eval-timeout"), parsing: .unconditional, help: "Stop an external command after this long, e.g. 10m, a transient failure (default: no limit).")
    var evalTimeout: String?

    @Option(parsing: .unconditional, help: "Times a transiently failing evaluation (crashed or timed-out command) is retried.")
    var retries: Int = 2

    @Option(parsing: .unconditional, help: "Threads of each built-in training (default: cores / jobs, at least 1).")
    var threads: Int?

    @Flag(help: "Allow exhaustive search of spaces over the size limit.")
    var force = false

    @Flag(help: "No progress display.")
    var quiet = false

    @Option(help: "Format of the summary printed at the end (progress goes to stderr either way).")
    var format: OutputFormat = .text

    func run() async throws {
        var spec = try space.map { path throws(SpaceError) in try SpecLoader.load(path: path) }
        if !recipe.isEmpty {
            guard var overridden = spec else {
                throw CommandFailure(status: .badInput, description: "--epochs, --train-subset, --batch-size and --learning-rate change the space's recipe; give --space too")
            }
            overridden.training = try recipe.applied(to: overridden.training)
            spec = overridden
        }
        var timeLimitSeconds: Double?
        if let timeLimit {
            guard let seconds = DurationParser.seconds(timeLimit) else {
                throw CommandFailure(status: .badInput, description: "--time-limit: \(DurationParser.expected), got '\(timeLimit)'")
            }
            timeLimitSeconds = seconds
        }
        if let jobs, !(1...256).contains(jobs) {
            throw CommandFailure(status: .badInput, description: "--jobs: must be between 1 and 256, got \(jobs)")
        }
        var evalTimeoutSeconds: Double?
        if let evalTimeout {
            guard let seconds = DurationParser.seconds(evalTimeout) else {
                throw CommandFailure(status: .badInput, description: "--eval-timeout: \(DurationParser.expected), got '\(evalTimeout)'")
            }
            evalTimeoutSeconds = seconds
        }
        if let jobs, let threads, jobs * threads > ProcessInfo.processInfo.activeProcessorCount, EvaluatorSpec.isTrainer(evaluator ?? EvaluatorSpec.trainer.description) {
            FileHandle.standardError.write(Data("warning: --jobs \(jobs) × --threads \(threads) exceeds the \(ProcessInfo.processInfo.activeProcessorCount) cores; trainings will compete\n".utf8))
        }
        if !(0...100).contains(retries) {
            throw CommandFailure(status: .badInput, description: "--retries: must be between 0 and 100, got \(retries)")
        }
        if let threads, !(1...1024).contains(threads) {
            throw CommandFailure(status: .badInput, description: "--threads: must be between 1 and 1024, got \(threads)")
        }
        if spec == nil && !FileManager.default.fileExists(atPath: database) {
            throw CommandFailure(status: .badInput, description: "\(database): no such database; give --space SPEC to create a search in a new file")
        }
        try Self.ensureParentDirectory(of: database)
        let request = SearchRequest(
            name: name, space: spec, strategy: strategy, evaluator: evaluator, seed: seed, buckets: buckets,
            perBucket: perBucket, parents: parents, children: children, layerwiseStrict: layerwiseStrict ? true : nil,
            population: population, sampleSize: sampleSize, budget: budget, timeLimitSeconds: timeLimitSeconds, force: force)
        let processGroups = ProcessGroups()
        let (store, opened, evaluatorInstance, parallelism) = try SetupLock.holding(forDatabase: database) {
            let isNewFile = !FileManager.default.fileExists(atPath: database)
            var created: (store: Store, searchID: Int64)?
            do {
                // Refuse a wrong request through a read-only connection first, so the file stays untouched.
                if let reader = try? Store(path: database, readOnly: true) {
                    try SearchSetup.check(
                        store: reader, request: request, defaultEvaluator: EvaluatorFactory.defaultEvaluator(for:),
                        normalizeEvaluator: EvaluatorFactory.normalize)
                }
                let store = try Store(path: database)
                let opened = try SearchSetup.open(
                    store: store, request: request, defaultEvaluator: EvaluatorFactory.defaultEvaluator(for:),
                    normalizeEvaluator: EvaluatorFactory.normalize)
                if opened.created { created = (store, opened.record.id) }
                let parallelism = ParallelismChoice.choose(
                    jobs: jobs, threads: threads, cores: ProcessInfo.processInfo.activeProcessorCount,
                    isTrainer: EvaluatorSpec.isTrainer(opened.settings.evaluator), evaluationsPerStep: opened.settings.evaluationsPerStep)
                let evaluatorInstance = try EvaluatorFactory.make(
                    opened.settings.evaluator, space: opened.space, threads: parallelism.threads, database: database,
                    evalTimeout: evalTimeoutSeconds, processGroups: processGroups)
                return (store, opened, evaluatorInstance, parallelism)
            } catch {
                // A refused request leaves nothing behind (nothing was evaluated): no file on a new
                // path, and in an existing file no search that was created for it.
                if isNewFile {
                    Self.removeDatabaseFiles(database)
                } else if let created {
                    let root = ArtifactsDirectory.defaultRoot(database: database)
                    _ = try? created.store.deleteSearch(
                        searchID: created.searchID, isAlive: { _, _ in false },
                        removeFiles: { ids in _ = try ArtifactsDirectory.removeWorkingDirectories(root: root, database: database, candidateIDs: ids) })
                }
                throw error
            }
        }
        let verb = opened.created ? "created" : "resuming"
        let announcement = "\(verb) search '\(opened.record.name)' in \(database): \(opened.settings.strategy.rawValue), \(opened.settings.evaluator)"
            + (EvaluatorSpec.isTrainer(opened.settings.evaluator)
                ? " (OpenBLAS \(BLASInfo.coreName) kernel, \(KernelReport.origin); \(parallelism.jobs) at once × \(parallelism.threads) thread\(parallelism.threads == 1 ? "" : "s"))"
                : "")
            + ", seed \(opened.settings.seed)\n"
        let quiet = self.quiet
        let interrupt = InterruptFlag(onHardExit: { processGroups.killAll() })
        let signalSources = interrupt.listen()
        defer { signalSources.forEach { $0.cancel() } }
        let display = ProgressDisplay(quiet: quiet)
        var runner = SearchRunner(
            store: store, searchID: opened.record.id, space: opened.space, settings: opened.settings,
            evaluator: evaluatorInstance, owner: ProcessIdentity.current, budget: opened.budget,
            timeLimitSeconds: opened.timeLimitSeconds, isCancelled: { interrupt.isRaised },
            progress: { display.update($0) })
        runner.maxAttempts = retries + 1
        runner.jobs = parallelism.jobs
        // Said only once the run owns the search and the resume checks passed: a refused resume
        // (another live process runs it) must not first claim to be resuming.
        runner.started = {
            if !quiet { FileHandle.standardError.write(Data(announcement.utf8)) }
        }
        let outcome = try runner.run(isOwnerAlive: ProcessIdentity.isAlive(owner:heartbeat:))
        display.finish()
        let best = try store.bestCandidate(searchID: opened.record.id)
        switch outcome {
        case .finished(let reason):
            FileHandle.standardError.write(Data("search finished: \(reason)\n".utf8))
        case .interrupted:
            FileHandle.standardError.write(Data("search stopped; the evaluation that was in progress runs again when you run the same command to resume\n".utf8))
        case .stopped:
            break
        }
        let report = SearchReport(
            search: opened.record.name, database: database, created: opened.created, outcome: outcome,
            counts: try store.statusCounts(searchID: opened.record.id), budget: opened.budget,
            best: best.map { BestReport(candidate: $0, space: opened.space, search: opened.record.name) })
        try format.print(report)
        if outcome == .interrupted {
            throw CommandFailure(status: .interrupted, description: "")
        }
        if case .stopped(let reason) = outcome {
            throw CommandFailure(status: .failure, description: "search stopped: \(reason); fix it and run the same command again to resume (nothing was recorded as failed)")
        }
    }

    /// Removes a database this command created and its SQLite companions.
    static func removeDatabaseFiles(_ path: String) {
        for suffix in ["", "-wal", "-shm", "-journal"] { unlink(path + suffix) }
        let artifacts = ArtifactsDirectory.defaultRoot(database: path)
        unlink(artifacts + "/" + ArtifactsDirectory.markerName)
        rmdir(artifacts)
    }

    static func ensureParentDirectory(of path: String) throws {
        let directory = URL(fileURLWithPath: path).deletingLastPathComponent()
        guard !FileManager.default.fileExists(atPath: directory.path) else { return }
        do {
            try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        } catch {
            throw CommandFailure(status: .failure, description: "\(path): cannot create the folder \(directory.path): \(error.localizedDescription)")
        }
    }
}
