import Foundation
import NASProcess
import NASSpace
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Scores candidates by running an external command once per evaluation: the user's own
/// PyTorch/JAX script, or a cluster launcher (`srun`, `sbatch --wait`, `kubectl`, `ray job
/// submit`) wrapping it. Evaluator string `command:PROGRAM ARGS...` (README, "External
/// trainers").
///
/// For each evaluation the command gets:
/// - a working directory `<artifactsRoot>/<candidate id>/`, created if missing and kept after the
///   evaluation for the command's artifacts;
/// - the request document (`RequestDocument`) on standard input and in `request.json` in that
///   directory;
/// - layernas's environment plus `LAYERNAS_SEARCH`, `LAYERNAS_CANDIDATE_ID`, `LAYERNAS_ATTEMPT`,
///   `LAYERNAS_ARCH`, `LAYERNAS_SEED`, `LAYERNAS_WORKDIR`, `LAYERNAS_REQUEST`;
/// - its standard output appended to `stdout.log` and its standard error to `stderr.log` in that
///   directory, each attempt after a marker line `--- layernas: ... ---`.
///
/// It runs in the current directory, in its own process group, with no shell (the command line
/// is split like a shell splits words; write `sh -c '...'` for shell syntax). It must print a JSON
/// object as the last line of its standard output: `{"score": 0.91, "metrics": {...}, "curve":
/// [...]}` (see `parseResult(line:)`).
///
/// Before it starts a command, it stops any process still running for the same candidate from
/// an earlier layernas that was killed (see `LeftoverCommands`), and says so in `stderr.log`.
///
/// Failures: a non-zero exit, death by a signal and a timeout are `.transient` (the search
/// retries up to `--retries`); exiting 0 without a valid result line is `.failed`. On timeout or
/// cancellation the whole process group gets SIGTERM, then SIGKILL after `killGrace` seconds;
/// cancellation throws `.cancelled`. Every failure reason names the log to read.
package struct CommandEvaluator: Evaluator {
    /// The command line as the user gave it (after `command:`).
    package let commandLine: String
    /// The command line split into words; `arguments[0]` is the program.
    package let arguments: [String]
    /// The program's file, resolved in `PATH` when it has no `/`.
    package let executable: String
    /// Absolute directory holding one working directory per candidate, symbolic links resolved.
    package let artifactsRoot: String
    /// Seconds an evaluation may run before its process group is killed; `nil`: no limit.
    package let timeoutSeconds: Double?
    /// Seconds between SIGTERM and SIGKILL when a command is stopped.
    package let killGrace: Double
    /// The environment commands inherit (the `LAYERNAS_*` variables are added to it).
    package let environment: [String: String]
    /// Where running commands' process groups are registered, for a hard exit to kill them.
    package var processGroups: ProcessGroups?

    /// At most this many bytes are read back from the end of `stdout.log` to find the result line.
    package static let resultLineLimit = 1 << 20
    /// Seconds between checks of the command and of cancellation.
    static let pollInterval = 0.01

    /// The evaluator as named on the command line.
    package var description: String { "command:\(commandLine)" }

    /// Checks the command line and finds the program.
    ///
    /// ```swift
    /// let evaluator = try CommandEvaluator(
    ///     commandLine: "python3 examples/external-trainer.py", artifactsRoot: "runs/ext-artifacts",
    ///     timeoutSeconds: 600)
    /// ```
    ///
    /// - Parameters:
    ///   - commandLine: what follows `command:` in the evaluator string.
    ///   - artifactsRoot: directory of the per-candidate working directories (made absolute,
    ///     symbolic links resolved; created on first use).
    ///   - timeoutSeconds: limit of one evaluation (`--eval-timeout`); `nil` means none.
    ///   - killGrace: seconds a stopped command gets between SIGTERM and SIGKILL.
    ///   - environment: the environment commands inherit; `PATH` in it finds the program.
    /// - Throws: `SearchError.badSetting(name: "evaluator", ...)` for a command line that cannot
    ///   be split, a program that is not found, or a timeout that is not positive.
    package init(
        commandLine: String, artifactsRoot: String, timeoutSeconds: Double? = nil, killGrace: Double = 5,
        environment: [String: String] = ProcessInfo.processInfo.environment
    ) throws(SearchError) {
        let arguments = try Self.parse(commandLine: commandLine)
        if let timeoutSeconds, !(timeoutSeconds > 0 && timeoutSeconds.isFinite) {
            throw .badSetting(name: "eval-timeout", message: "must be a positive number of seconds, got \(timeoutSeconds)")
        }
        precondition(killGrace >= 0 && killGrace.isFinite, "kill grace must be a non-negative number of seconds")
        self.commandLine = commandLine
        self.arguments = arguments
        self.executable = try Self.resolveExecutable(arguments[0], searchPath: environment["PATH"])
        // Symbolic links are resolved so that a root linked to a shared file system gives commands
        // on other machines a path they can open.
        self.artifactsRoot = URL(fileURLWithPath: artifactsRoot).standardizedFileURL.resolvingSymlinksInPath().path
        self.timeoutSeconds = timeoutSeconds
        self.killGrace = killGrace
        self.environment = environment
    }

    /// The file in a working directory that lists the processes of the running attempt ("pid
    /// start" lines), so that a resume after a crash can stop the ones no other trace leads to.
    static let processRecordsName = ".layernas-processes"

    /// Appends process records, each line written whole; a failure to record is not the
    /// candidate's: the processes are still killed when the attempt ends.
    static func record(_ processes: Set<ProcessKey>, in file: String) {
        let lines = processes.sorted { $0.pid < $1.pid }.map { "\($0)\n" }.joined()
        let descriptor = open(file, O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0o644)
        guard descriptor >= 0 else { return }
        defer { close(descriptor) }
        _ = lines.withCString { write(descriptor, $0, strlen($0)) }
    }

    /// The working directory of a candidate: `<artifactsRoot>/<candidate id>`.
    package func workdir(candidateID: Int64) -> String {
        artifactsRoot + "/" + String(candidateID)
    }

    /// Runs the external command on the candidate and reads back its score.
    package func evaluate(_ request: EvaluationRequest) throws(EvaluationError) -> EvaluationResult {
        if request.isCancelled() { throw .cancelled }
        let workdir = workdir(candidateID: request.candidateID)
        let requestPath = workdir + "/request.json"
        let stdoutLog = ProcessLogFile(path: workdir + "/stdout.log")
        let stderrLog = ProcessLogFile(path: workdir + "/stderr.log")
        let document = RequestDocument(request: request, workdir: workdir)

        // An earlier layernas that was killed may have left this candidate's command running:
        // found by its environment, or by the process records of that attempt.
        let processRecords = workdir + "/" + Self.processRecordsName
        let leftovers = (LeftoverCommands.stop(requestPath: requestPath, grace: killGrace)
            + LeftoverCommands.stop(recordedIn: processRecords, grace: killGrace)).sorted()

        let stdoutStart: UInt64
        let stderrStart: UInt64
        do {
            try FileManager.default.createDirectory(atPath: workdir, withIntermediateDirectories: true)
            if !leftovers.isEmpty {
                try stderrLog.append("--- layernas: stopped process(es) \(leftovers.map(String.init).joined(separator: ", ")) "
                    + "left running for this candidate by an earlier layernas that was killed ---\n")
            }
            try document.encoded().write(to: URL(fileURLWithPath: requestPath), options: .atomic)
            try Data().write(to: URL(fileURLWithPath: processRecords))
            let marker = "--- layernas: search \(request.searchName), candidate \(request.candidateID) (\(request.key)), "
                + "attempt \(request.attempt), \(Date().ISO8601Format()) ---\n"
            try stdoutLog.append(marker)
            try stderrLog.append(marker)
            stdoutStart = stdoutLog.size()
            stderrStart = stderrLog.size()
        } catch {
            // Our own machine failed (full or read-only disk, a file in the way), not the
            // candidate: the search stops and resumes once it is fixed.
            throw .environment("cannot prepare the working directory \(workdir): \(error.localizedDescription)")
        }

        var variables = environment
        variables.merge(Self.environmentVariables(for: document, requestPath: requestPath)) { _, new in new }
        let runner = ProcessRunner(
            executable: executable, arguments: arguments,
            environment: variables.sorted { $0.key < $1.key }.map { "\($0.key)=\($0.value)" },
            standardInput: requestPath, standardOutput: stdoutLog.path, standardError: stderrLog.path,
            timeoutSeconds: timeoutSeconds, killGrace: killGrace, pollInterval: Self.pollInterval)

        let termination: ProcessRunner.Termination
        do {
            var group: pid_t?
            defer { if let group { processGroups?.unregister(group) } }
            defer { LeftoverCommands.killRemaining(withRequest: requestPath) }
            termination = try runner.run(isCancelled: request.isCancelled, started: { pid in
                group = pid
                processGroups?.register(pid)
            }, discovered: { processes in
                Self.record(processes, in: processRecords)
            })
        } catch {
            let reason = "cannot start '\(executable)': \(error)"
            if error.isTemporary { throw .transient(reason) }
            throw .failed(reason)
        }

        func stderrSummary() -> String {
            let line = stderrLog.lastLine(after: stderrStart, cap: 64 * 1024)
            let text = line.map { ": " + Self.abbreviated($0.text, limit: 300) } ?? " (nothing on stderr)"
            return "\(text) (log: \(stderrLog.path))"
        }

        switch termination {
        case .cancelled:
            throw .cancelled
        case .timedOut:
            let limit = timeoutSeconds.map { Self.seconds($0) } ?? "?"
            throw .transient("command timed out after \(limit); its process group was killed (log: \(stderrLog.path))")
        case .signaled(let signal):
            throw .transient("command was killed by signal \(signal) (\(ProcessRunner.signalName(signal)))\(stderrSummary())")
        case .unknown:
            throw .transient("command ended but its exit status was lost (log: \(stderrLog.path))")
        case .exited(let status) where status != 0:
            throw .transient("command exited with status \(status)\(stderrSummary())")
        case .exited:
            break
        }

        guard let line = stdoutLog.lastLine(after: stdoutStart, cap: Self.resultLineLimit) else {
            throw .failed("command printed nothing on standard output; expected a JSON result line such as {\"score\": 0.9} (log: \(stdoutLog.path))")
        }
        guard line.isComplete else {
            throw .failed("the last line of standard output is longer than \(Self.resultLineLimit) bytes; expected a JSON result line (log: \(stdoutLog.path))")
        }
        let parsed: (score: Double, metrics: [String: Double], curve: [EpochPoint])
        do {
            parsed = try Self.parseResult(line: line.text)
        } catch {
            throw .failed("\(error.description) (log: \(stdoutLog.path))")
        }
        return EvaluationResult(score: parsed.score, metrics: parsed.metrics, recipe: request.space.training, curve: parsed.curve)
    }

    /// `30s`, `2.5s`.
    static func seconds(_ value: Double) -> String {
        value.rounded() == value ? "\(Int(value))s" : "\(value)s"
    }
}
