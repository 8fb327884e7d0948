import ArgumentParser
import Foundation
import GRDB
@testable import NASCommands
import NASSpace
import NASStore
import NASTestSupport
import Testing

/// Help and consistency (issue 15, item 9): help texts that say each thing once and read as
/// prose, numbers refused for their value rather than their sign, the same JSON types in every
/// output, and reports that say only what applies.
@Suite struct ConsistencyTests {
    // MARK: - Help texts

    /// Every command, nested ones included, with its name as typed after `layernas`.
    static func allCommands() -> [(name: String, type: ParsableCommand.Type)] {
        func visit(_ type: ParsableCommand.Type, prefix: String) -> [(String, ParsableCommand.Type)] {
            let name = type.configuration.commandName ?? ""
            let path = prefix.isEmpty ? name : "\(prefix) \(name)"
            return [(path, type)] + type.configuration.subcommands.flatMap { visit($0, prefix: path) }
        }
        return LayerNAS.configuration.subcommands.flatMap { visit($0, prefix: "") }
    }

    /// The help of `type` as an 80-column terminal shows it.
    static func help(_ type: ParsableCommand.Type, columns: Int = 80) -> String {
        LayerNAS.helpMessage(for: type, columns: columns)
    }

    /// Each option's help as one string, keyed by the option's first name (`--budget`): an entry
    /// starts at a line indented by two spaces and a dash, and continues on deeper-indented lines.
    static func optionEntries(_ help: String) -> [String: String] {
        guard let options = help.components(separatedBy: "OPTIONS:\n").last else { return [:] }
        var entries: [String: String] = [:]
        var current: String?
        for line in options.split(separator: "\n", omittingEmptySubsequences: false) {
            if line.hasPrefix("  -") {
                let name = String(line.dropFirst(2).prefix { $0 != " " && $0 != "," })
                current = name
                entries[name] = String(line)
            } else if line.hasPrefix("    "), let name = current {
                entries[name, default: ""] += " " + line.trimmingCharacters(in: .whitespaces)
            } else {
                current = nil
            }
        }
        return entries
    }

    /// 1. `--evaluator` lists every form of the evaluator grammar, and each form it lists parses.
    @Test func evaluatorHelpListsEveryForm() throws {
        let entry = try #require(Self.optionEntries(Self.help(SearchCommand.self, columns: 200))["--evaluator"])
        for form in ["trainer", "synthetic", "synthetic:SEED", "table:PATH", "command:CMD"] {
            #expect(entry.contains(form), "--evaluator help lacks \(form): \(entry)")
            let example = form.replacingOccurrences(of: "SEED", with: "7").replacingOccurrences(of: "PATH", with: "t.csv")
                .replacingOccurrences(of: "CMD", with: "sh train.sh")
            #expect(EvaluatorSpec(parsing: example) != nil, "\(form) is listed but does not parse")
        }
    }

    /// 2, 3. No option states its default twice (once in the text, once by ArgumentParser), and
    /// `--strategy` states its own.
    @Test func everyOptionStatesItsDefaultAtMostOnce() throws {
        for (name, type) in [("", LayerNAS.self)] + Self.allCommands() {
            for (option, entry) in Self.optionEntries(Self.help(type, columns: 200)) {
                let count = entry.lowercased().components(separatedBy: "default").count - 1
                #expect(count <= 1, "layernas \(name) \(option) states its default \(count) times: \(entry)")
            }
        }
        let strategy = try #require(Self.optionEntries(Self.help(SearchCommand.self, columns: 200))["--strategy"])
        #expect(strategy.contains("default: \(SearchStrategy.layernas.rawValue)"), "\(strategy)")
    }

    /// 5. Help reads as prose on an 80-column terminal: no paragraph breaks a line where the next
    /// word would have fitted (a hard line break mid-sentence; ArgumentParser fills lines up to
    /// 79 columns), and no example line is wrapped (a long one continues with `\` on an
    /// indented line).
    @Test func helpTextsBreakLinesOnlyWhereTheTerminalDoes() throws {
        for (name, type) in [("", LayerNAS.self)] + Self.allCommands() {
            let text = Self.help(type)
            let prose = text.components(separatedBy: "USAGE:").first ?? text
            let lines = prose.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
            for (line, next) in zip(lines, lines.dropFirst()) where !line.isEmpty && !next.isEmpty {
                let nextIndented = next.hasPrefix(" ")
                if line.hasPrefix(" ") {
                    #expect(nextIndented, "layernas \(name): the example '\(line)' is wrapped onto '\(next)'")
                } else if !nextIndented {
                    let word = next.prefix { $0 != " " }
                    #expect(line.count + 1 + word.count > 79, "layernas \(name): the line '\(line)' ends before '\(word)' would")
                }
            }
        }
    }

    /// 4. `--threads` defaults to cores / jobs, as help and README say: the thread count stored
    /// with each score of a `--jobs 2` search is half the cores.
    @Test func threadsDefaultToCoresOverJobs() throws {
        let entry = try #require(Self.optionEntries(Self.help(SearchCommand.self, columns: 200))["--threads"])
        #expect(entry.contains("cores / jobs"), "\(entry)")
        let readme = try String(contentsOf: CommandRunner.packageRoot.appendingPathComponent("README.md"), encoding: .utf8)
        #expect(readme.contains("`--threads` (built-in trainer) [cores / jobs"))
        let directory = try TemporaryDirectory()
        let spec = try TrainerSearchTests.writeTinySpace(in: directory)
        let db = directory.path("t.db")
        let result = try CommandRunner.run(["search", db, "--space", spec, "--budget", "2", "--buckets", "4", "--jobs", "2", "--quiet"])
        #expect(result.status == 0, "\(result.stderr)")
        let threads = try DatabaseQueue(path: db).read { db in
            try Double.fetchAll(db, sql: "SELECT json_extract(metrics_json, '$.threads') FROM candidates WHERE status = 'evaluated'")
        }
        #expect(threads.count == 2)
        let expected = Double(max(1, ProcessInfo.processInfo.activeProcessorCount / 2))
        #expect(threads.allSatisfy { $0 == expected }, "\(threads), expected \(expected)")
    }

    // MARK: - Bad input

    /// 6. A missing database is bad input (exit 2, "no such database") for every command that
    /// reads one, and none of them creates the file. Commands are found from their usage, so a
    /// new command is checked too; `init` and `search` create databases and are left out.
    @Test func aMissingDatabaseIsExitTwoForEveryCommandThatReadsOne() throws {
        let directory = try TemporaryDirectory()
        let missing = directory.path("missing.db")
        var checked: [String] = []
        for (name, type) in Self.allCommands() where Self.help(type).contains("<database>") && !["init", "search"].contains(name) {
            var arguments = name.split(separator: " ").map(String.init) + [missing]
            if name == "query" { arguments.append("SELECT 1") }
            // A command that needs more than the database (an option naming a search, say) is
            // refused before it opens anything; that refusal proves nothing about the file.
            if InProcessCommand.usageError(arguments) != nil { continue }
            let result = try CommandRunner.run(arguments)
            #expect(result.status == 2, "\(name): \(result.stderr)")
            #expect(result.stderrLines.count == 1 && result.stderr.contains("no such database"), "\(name): \(result.stderr)")
            checked.append(name)
        }
        #expect(Set(["status", "best", "query", "pareto", "export"]).isSubset(of: Set(checked)), "\(checked)")
        #expect(try FileManager.default.contentsOfDirectory(atPath: directory.url.path).isEmpty)
    }

    /// 7. A negative number is read as the option's value and refused for it, naming the option
    /// and the value, with exit 2 and no database left behind.
    @Test func negativeNumbersAreRefusedNamingTheOptionAndTheValue() throws {
        let directory = try TemporaryDirectory()
        let db = directory.path("n.db")
        let search = ["search", db, "--space", SearchCommandTests.burger, "--evaluator", "synthetic", "--quiet"]
        let cases: [(arguments: [String], option: String, value: String)] = [
            (search + ["--budget", "-5"], "--budget", "-5"), (search + ["--buckets", "-3"], "--buckets", "-3"),
            (search + ["--per-bucket", "-1"], "--per-bucket", "-1"), (search + ["--parents", "-2"], "--parents", "-2"),
            (search + ["--children", "-2"], "--children", "-2"), (search + ["--population", "-4"], "--population", "-4"),
            (search + ["--sample-size", "-1"], "--sample-size", "-1"), (search + ["--jobs", "-1"], "--jobs", "-1"),
            (search + ["--retries", "-1"], "--retries", "-1"), (search + ["--threads", "-2"], "--threads", "-2"),
            (search + ["--time-limit", "-5s"], "--time-limit", "-5s"), (search + ["--eval-timeout", "-1m"], "--eval-timeout", "-1m"),
            (search + ["--seed", "-5"], "--seed", "-5"), (search + ["--epochs", "-1"], "--epochs", "-1"),
            (search + ["--train-subset", "-5"], "--train-subset", "-5"), (search + ["--batch-size", "-5"], "--batch-size", "-5"),
            (search + ["--learning-rate", "-0.1"], "--learning-rate", "-0.1"),
            (["train", "--space", CommandRunner.example("fashion-mlp.yaml"), "--arch", "512-512-256-128", "--threads", "-2"], "--threads", "-2"),
            (["bench", "--threads", "-1"], "--threads", "-1"), (["bench", "--train-subset", "-5"], "--train-subset", "-5"),
        ]
        for (arguments, option, value) in cases {
            let result = try CommandRunner.run(arguments)
            #expect(result.status == 2, "\(arguments): \(result.stderr)")
            #expect(result.stderrLines.count == 1 && result.stderr.contains(option) && result.stderr.contains(value)
                    && !result.stderr.contains("Missing value"), "\(arguments): \(result.stderr)")
        }
        let budget = try CommandRunner.run(search + ["--budget", "-5"])
        #expect(budget.stderr == "error: --budget: must be at least 1, got -5\n")
        #expect(!FileManager.default.fileExists(atPath: db))
    }

    // MARK: - Output

    /// The `in_window` values in a JSON text, in order, as written (`true`, `1`, ...).
    static func inWindowLiterals(_ json: String) throws -> [String] {
        let pattern = try NSRegularExpression(pattern: #""in_window"\s*:\s*([^,}\s]+)"#)
        return pattern.matches(in: json, range: NSRange(json.startIndex..., in: json)).compactMap { match in
            Range(match.range(at: 1), in: json).map { String(json[$0]) }
        }
    }

    /// 8. `in_window` is a JSON boolean in `export` (JSON and JSONL) and in `pareto`, and the two
    /// agree on every candidate's value.
    @Test func inWindowIsABooleanInEveryJSONOutput() throws {
        let directory = try TemporaryDirectory()
        let db = directory.path("w.db")
        // The paper's algorithm also generates candidates outside the window: both values occur.
        let search = try CommandRunner.run(["search", db, "--space", SearchCommandTests.burger, "--evaluator", "synthetic",
                                            "--strategy", "layernas-paper", "--budget", "20", "--quiet"])
        #expect(search.status == 0, "\(search.stderr)")
        let count = try DatabaseQueue(path: db).read { db in try Int.fetchOne(db, sql: "SELECT count(*) FROM candidates") }
        for format in ["json", "jsonl"] {
            let export = try CommandRunner.run(["export", db, "--format", format])
            #expect(export.status == 0, "\(export.stderr)")
            let literals = try Self.inWindowLiterals(export.stdout)
            #expect(literals.count == count && Set(literals) == ["true", "false"], "\(format): \(literals)")
        }
        let pareto = try CommandRunner.run(["pareto", db, "--format", "json"])
        #expect(pareto.status == 0, "\(pareto.stderr)")
        #expect(try Self.inWindowLiterals(pareto.stdout).allSatisfy { $0 == "true" || $0 == "false" })
        // The same candidate has the same value in both.
        func values(_ json: String, _ path: (Any) -> [[String: Any]]) throws -> [Int: Bool] {
            let parsed = try JSONSerialization.jsonObject(with: Data(json.utf8))
            var result: [Int: Bool] = [:]
            for row in path(parsed) {
                if let id = row["candidate_id"] as? Int, let flag = row["in_window"] as? Bool { result[id] = flag }
            }
            return result
        }
        let exported = try values(try CommandRunner.run(["export", db, "--format", "json"]).stdout) { $0 as? [[String: Any]] ?? [] }
        let front = try values(pareto.stdout) { parsed in
            ((parsed as? [String: Any])?["searches"] as? [[String: Any]] ?? []).flatMap { $0["front"] as? [[String: Any]] ?? [] }
        }
        #expect(!front.isEmpty)
        for (id, flag) in front { #expect(exported[id] == flag, "candidate \(id): export \(String(describing: exported[id])), pareto \(flag)") }
    }

    /// 9. Tables show a real without the noise of its last binary digits; CSV and JSON keep the
    /// exact value.
    @Test func tablesShowRealsWithoutFloatNoise() throws {
        let directory = try TemporaryDirectory()
        let db = try HardeningTests.stoppedSearch(in: directory)
        let sql = "SELECT 0.1 + 0.2 AS sum, 1e-5 AS small, 5.0 AS five, 123456789012345.0 AS big"
        let table = try CommandRunner.run(["query", db, sql])
        #expect(table.status == 0, "\(table.stderr)")
        let cells = try #require(table.stdout.split(separator: "\n").dropFirst(2).first).split(separator: " ").map(String.init)
        #expect(cells == [String(0.3), String(1e-5), String(5.0), String(123456789012345.0)], "\(table.stdout)")
        let csv = try CommandRunner.run(["query", db, sql, "--format", "csv"])
        #expect(csv.stdout.contains(String(0.1 + 0.2)), "\(csv.stdout)")
        let json = try CommandRunner.run(["query", db, sql, "--format", "json"])
        #expect(json.stdout.contains(String(0.1 + 0.2)), "\(json.stdout)")
        // Stored scores: the table's text is the exact value to 12 significant digits, no longer.
        let exact = try CommandRunner.run(["query", db, "SELECT score FROM candidates ORDER BY id", "--format", "csv"]).stdout
            .split(whereSeparator: \.isNewline).dropFirst().compactMap { Double($0) }
        let shown = try CommandRunner.run(["query", db, "SELECT score FROM candidates ORDER BY id"]).stdout
            .split(separator: "\n").dropFirst(2).dropLast().map { $0.trimmingCharacters(in: .whitespaces) }
        #expect(exact.count == shown.count && !exact.isEmpty)
        for (value, text) in zip(exact, shown) {
            let digits = text.filter(\.isNumber).drop { $0 == "0" }.count
            #expect(digits <= 12, "\(text)")
            #expect(abs((Double(text) ?? .nan) - value) <= abs(value) * 1e-11, "\(text) for \(value)")
        }
    }

    /// 10. `status` prints only the settings the search's strategy reads.
    @Test func statusPrintsOnlyTheSettingsTheStrategyReads() throws {
        let directory = try TemporaryDirectory()
        let expected: [(strategy: String, settings: Set<String>)] = [
            ("random", []), ("exhaustive", []), ("evolution", ["population", "sample-size"]),
            ("layernas", ["buckets", "per-bucket", "parents"]),
            ("layernas-paper", ["buckets", "per-bucket", "parents", "children", "layerwise-strict"]),
        ]
        let every = ["buckets", "per-bucket", "parents", "children", "layerwise-strict", "population", "sample-size"]
        for (strategy, settings) in expected {
            let db = directory.path("\(strategy).db")
            let search = try CommandRunner.run(["search", db, "--space", SearchCommandTests.burger, "--evaluator", "synthetic",
                                                "--strategy", strategy, "--budget", "3", "--quiet"])
            #expect(search.status == 0, "\(search.stderr)")
            let json = try CommandRunner.run(["status", db, "--format", "json"])
            let object = try #require(try JSONSerialization.jsonObject(with: Data(json.stdout.utf8)) as? [String: Any])
            #expect(Set((object["settings"] as? [String: Any] ?? [:]).keys) == settings, "\(strategy): \(json.stdout)")
            // Numbers and flags are JSON numbers and booleans, not strings.
            if settings.contains("buckets") { #expect(json.stdout.range(of: #""buckets" : \d+,"#, options: .regularExpression) != nil, "\(json.stdout)") }
            if settings.contains("layerwise-strict") { #expect(json.stdout.contains(#""layerwise-strict" : false"#), "\(json.stdout)") }
            if settings.contains("population") { #expect(json.stdout.range(of: #""population" : \d+"#, options: .regularExpression) != nil, "\(json.stdout)") }
            let text = try CommandRunner.run(["status", db]).stdout
            let line = text.split(separator: "\n").first { $0.hasPrefix("settings:") }.map(String.init) ?? ""
            for name in every {
                #expect(line.contains("\(name) ") == settings.contains(name), "\(strategy): \(line)")
            }
        }
    }

    /// Runs the binary with `environment` added to this process's (values nil are removed).
    static func run(_ arguments: [String], environment: [String: String?]) throws -> CommandRunner.Result {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: CommandRunner.binary)
        process.arguments = arguments
        var merged = ProcessInfo.processInfo.environment
        for (key, value) in environment { merged[key] = value }
        process.environment = merged
        let out = Pipe()
        let err = Pipe()
        process.standardOutput = out
        process.standardError = err
        try process.run()
        let outData = out.fileHandleForReading.readDataToEndOfFile()
        let errData = err.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return .init(status: process.terminationStatus, stdout: String(decoding: outData, as: UTF8.self),
                     stderr: String(decoding: errData, as: UTF8.self))
    }

    /// 11. `status` of a trainer search says which OpenBLAS kernel runs and who chose it: the
    /// user's `OPENBLAS_CORETYPE`, or layernas / OpenBLAS when the user set none.
    @Test func statusSaysWhoChoseTheKernel() throws {
        let directory = try TemporaryDirectory()
        let spec = try TrainerSearchTests.writeTinySpace(in: directory)
        let db = directory.path("t.db")
        let search = try CommandRunner.run(["search", db, "--space", spec, "--budget", "1", "--buckets", "4", "--quiet"])
        #expect(search.status == 0, "\(search.stderr)")
        let user = try Self.run(["status", db], environment: ["OPENBLAS_CORETYPE": "Haswell", "LAYERNAS_REEXECED": nil])
        #expect(user.stdout.contains("(OpenBLAS Haswell kernel, OPENBLAS_CORETYPE=Haswell set by the user)"), "\(user.stdout)")
        let own = try Self.run(["status", db, "--format", "json"], environment: ["OPENBLAS_CORETYPE": nil, "LAYERNAS_REEXECED": nil])
        let object = try #require(try JSONSerialization.jsonObject(with: Data(own.stdout.utf8)) as? [String: Any])
        let origin = try #require(object["kernel_origin"] as? String, "\(own.stdout)")
        #expect(origin.contains("set by layernas from the CPU flags") || origin.contains("OpenBLAS's own CPU detection"), "\(origin)")
        #expect(object["blas_kernel"] is String)
    }

    /// 12. `space show` names the head only where the spec chooses one (cnn), and the README's
    /// tour shows exactly what the binary prints.
    @Test func spaceShowNamesTheHeadOfCNNsOnlyAndTheREADMEAgrees() throws {
        let mlp = try CommandRunner.run(["space", "show", "examples/fashion-mlp.yaml"])
        #expect(mlp.stdout.hasPrefix("space: fashion-mlp (mlp), "), "\(mlp.stdout)")
        let pooled = try CommandRunner.run(["space", "show", "examples/fashion-cnn-pooled.yaml"])
        #expect(pooled.stdout.hasPrefix("space: fashion-cnn-pooled (cnn, flatten head), "), "\(pooled.stdout)")
        let readme = try String(contentsOf: CommandRunner.packageRoot.appendingPathComponent("README.md"), encoding: .utf8)
        let tour = try #require(readme.components(separatedBy: "$ layernas space show examples/fashion-mlp.yaml\n").dropFirst().first)
        let shown = try #require(tour.components(separatedBy: "\n...\n").first)
        #expect(mlp.stdout.hasPrefix(shown + "\n"), "README shows:\n\(shown)\nthe binary prints:\n\(mlp.stdout)")
    }

    /// 13. A second `search` while one runs is refused without first saying "resuming".
    @Test func aRefusedSecondSearchDoesNotSayItIsResuming() throws {
        let directory = try TemporaryDirectory()
        let started = directory.path("started")
        let script = directory.path("slow.sh")
        try "echo $$ > \(started)\nsleep 30\necho '{\"score\": 0.5}'\n".write(toFile: script, atomically: true, encoding: .utf8)
        let db = directory.path("r.db")
        let first = try CommandRunner.start(["search", db, "--space", SearchCommandTests.burger, "--evaluator", "command:sh \(script)", "--budget", "3"])
        defer {
            first.interrupt()
            first.waitUntilExit()
        }
        CommandRunner.waitForFile(started)
        #expect(FileManager.default.fileExists(atPath: started))
        let second = try CommandRunner.run(["search", db])
        #expect(second.status != 0)
        #expect(second.stderr.contains("being run by process"), "\(second.stderr)")
        #expect(!second.stderr.contains("resuming"), "\(second.stderr)")
    }

    /// 14. `search --format json` prints its summary as JSON (snake_case, `best` as `best`
    /// prints it) and `init --format json` the schema it applied.
    @Test func searchAndInitPrintJSON() throws {
        let directory = try TemporaryDirectory()
        let db = directory.path("j.db")
        let initialised = try CommandRunner.run(["init", db, "--format", "json"])
        #expect(initialised.status == 0, "\(initialised.stderr)")
        let schema = try #require(try JSONSerialization.jsonObject(with: Data(initialised.stdout.utf8)) as? [String: Any])
        let migrations = try #require(schema["migrations"] as? [String])
        let files = try FileManager.default.contentsOfDirectory(atPath: CommandRunner.packageRoot.appendingPathComponent("migrations").path)
            .filter { $0.hasSuffix(".sql") }.map { String($0.dropLast(4)) }.sorted()
        #expect(migrations == files)
        #expect(schema["schema"] as? String == files.last)
        #expect(schema["database"] as? String == db)

        let search = try CommandRunner.run(["search", db, "--space", SearchCommandTests.burger, "--evaluator", "synthetic",
                                            "--budget", "5", "--quiet", "--format", "json"])
        #expect(search.status == 0, "\(search.stderr)")
        let parsed = try JSONSerialization.jsonObject(with: Data(search.stdout.utf8))
        #expect(JSONKeys.notSnakeCase(in: parsed).isEmpty)
        let summary = try #require(parsed as? [String: Any])
        #expect(summary["outcome"] as? String == "finished")
        #expect(summary["created"] as? Bool == true)
        #expect(summary["evaluated"] as? Int == 5 && summary["budget"] as? Int == 5)
        let best = try JSONSerialization.jsonObject(with: Data(try CommandRunner.run(["best", db, "--format", "json"]).stdout.utf8)) as? [String: Any]
        #expect((summary["best"] as? [String: Any])?["arch"] as? String == best?["arch"] as? String)
        #expect(best?["arch"] != nil)
        let resumed = try CommandRunner.run(["search", db, "--budget", "6", "--quiet", "--format", "json"])
        let again = try #require(try JSONSerialization.jsonObject(with: Data(resumed.stdout.utf8)) as? [String: Any])
        #expect(again["created"] as? Bool == false && again["evaluated"] as? Int == 6)
    }

    // MARK: - Version, completion, manual, README

    /// 15. `layernas version` prints what `--version` prints.
    @Test func versionIsASubcommandToo() throws {
        let command = try CommandRunner.run(["version"])
        let flag = try CommandRunner.run(["--version"])
        #expect(command.status == 0 && flag.status == 0)
        #expect(command.stdout == flag.stdout && command.stdout == LayerNAS.version + "\n")
    }

    /// 16. Shell completion works and is documented; `make install` installs a manual page and
    /// the completions; the help dump the manual is generated from covers every command.
    @Test func completionAndManualAreDocumentedAndInstalled() throws {
        for shell in ["bash", "zsh", "fish"] {
            let script = try CommandRunner.run(["--generate-completion-script", shell])
            #expect(script.status == 0 && script.stdout.contains("layernas"), "\(shell): \(script.stderr)")
        }
        let readme = try String(contentsOf: CommandRunner.packageRoot.appendingPathComponent("README.md"), encoding: .utf8)
        #expect(readme.contains("--generate-completion-script"), "README does not document shell completion")
        #expect(readme.contains("man layernas"), "README does not mention the manual page")
        let makefile = try String(contentsOf: CommandRunner.packageRoot.appendingPathComponent("Makefile"), encoding: .utf8)
        let install = makefile.components(separatedBy: "\ninstall:").last ?? ""
        #expect(install.contains("$(MAN_PAGE)") && install.contains("man1") && makefile.contains("plugin generate-manual"),
                "make install does not install a manual page")
        #expect(install.contains("--generate-completion-script"), "make install does not install completions")
        let dump = try CommandRunner.run(["--experimental-dump-help"])
        #expect(dump.status == 0, "\(dump.stderr)")
        for (name, _) in Self.allCommands() where !name.contains(" ") {
            #expect(dump.stdout.contains("\"commandName\" : \"\(name)\""), "\(name) missing from the help dump")
        }
    }

    /// The README's command reference names every command the binary has.
    @Test func readmeCommandReferenceNamesEveryCommand() throws {
        let readme = try String(contentsOf: CommandRunner.packageRoot.appendingPathComponent("README.md"), encoding: .utf8)
        let reference = readme.components(separatedBy: "## Command reference").dropFirst().first?
            .components(separatedBy: "\n## ").first ?? ""
        for (name, _) in Self.allCommands() {
            #expect(reference.contains("`layernas \(name)"), "README's command reference lacks layernas \(name)")
        }
    }
}
