import ArgumentParser
import Foundation
import NASSearch
import NASSpace
import NASStore
import NASTrainer

/// `layernas status DB`: where a search stands.
struct StatusCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "status",
        abstract: "Show a search's settings, counts, store fill and best candidate.",
        discussion: """
            Opens the database read-only, so it works while a search runs.

            Example:
              layernas status runs/burger.db
              layernas status runs/burger.db --format json
            """
    )

    @OptionGroup var options: StoredSearchOptions

    func run() async throws {
        let (store, search) = try options.open()
        let format = options.format
        var report = StatusReport(
            record: search.record, settings: search.settings, counts: try store.statusCounts(searchID: search.record.id),
            layers: try store.layerFill(searchID: search.record.id),
            best: try store.bestCandidate(searchID: search.record.id).map {
                BestReport(candidate: $0, space: search.space, search: search.record.name)
            })
        if EvaluatorSpec.isTrainer(search.settings.evaluator) {
            // This process loaded OpenBLAS exactly as a search started here does.
            report.blasKernel = BLASInfo.coreName
            report.kernelOrigin = KernelReport.origin
        }
        report.retrainings = try store.retrainings(searchID: search.record.id).map(RetrainingSummary.init)
        try format.print(report)
    }
}

/// What `status` prints.
struct StatusReport: CommandReport {
    var search: String
    var strategy: SearchStrategy
    var evaluator: String
    var seed: UInt64
    /// The settings the strategy reads (a random search has none), typed for JSON.
    var settings: [String: SettingValue]
    var status: SearchStatus
    var finished: Bool
    var stopReason: String?
    /// Candidates in each status.
    var evaluated, dropped, failed, pending, running: Int
    var budget: Int?
    var timeLimitSeconds: Double?
    var elapsedSeconds: Double
    var rounds: Int
    var owner: String?
    var layers: [LayerFill]
    var best: BestReport?
    /// OpenBLAS kernel a trainer search uses on this machine, and who chose it.
    var blasKernel: String?
    var kernelOrigin: String?
    /// Every `retrain` of the search, oldest first.
    var retrainings: [RetrainingSummary] = []

    init(record: SearchRecord, settings: SearchSettings, counts: [CandidateStatus: Int], layers: [LayerFill], best: BestReport?) {
        search = record.name
        strategy = record.strategy
        evaluator = record.evaluator
        seed = record.seed
        self.settings = Dictionary(uniqueKeysWithValues: settings.usedFields.map { ($0.name, SettingValue($0.value)) })
        let state = RunState(record)
        status = state.status
        finished = record.status == .finished
        stopReason = state.stopReason
        evaluated = counts[.evaluated] ?? 0
        dropped = counts[.dropped] ?? 0
        failed = counts[.failed] ?? 0
        pending = counts[.pending] ?? 0
        running = counts[.running] ?? 0
        budget = record.budget
        timeLimitSeconds = record.timeLimitSeconds
        elapsedSeconds = record.elapsedSeconds
        rounds = record.rounds
        owner = record.owner
        self.layers = layers
        self.best = best
    }

    var text: String {
        let state = finished ? "finished: \(stopReason ?? "")" : (status == .running ? "running (\(owner ?? "?"))" : "\(status.rawValue)\(stopReason.map { ": \($0)" } ?? "")")
        let kernel = blasKernel.map { " (OpenBLAS \($0) kernel" + (kernelOrigin.map { ", \($0)" } ?? "") + ")" } ?? ""
        var lines = [
            "search: \(search) — \(state)",
            "strategy: \(strategy.rawValue), evaluator \(evaluator)\(kernel), seed \(seed)",
        ]
        let used = SearchSettings.names(usedBy: strategy).compactMap { key in settings[key].map { "\(key) \($0.text)" } }
        if !used.isEmpty { lines.append("settings: " + used.joined(separator: ", ")) }
        lines.append("evaluations: \(evaluated) evaluated, \(failed) failed, \(pending + running) pending, \(dropped) dropped"
            + (budget.map { "; budget \($0)" } ?? "")
            + "; elapsed \(ProgressDisplay.formatDuration(elapsedSeconds))")
        if strategy.hasLayerStores {
            lines.append("rounds completed: \(rounds)")
            for layer in layers {
                lines.append("  layer \(layer.layer) \(layer.name): \(layer.members) kept in \(layer.bucketsUsed)/\(layer.buckets) buckets, \(layer.evicted) evicted, \(layer.expanded) expanded")
            }
        }
        if let best {
            lines.append(best.text.trimmingCharacters(in: .newlines))
        } else {
            lines.append("best: none yet")
        }
        for retraining in retrainings { lines.append(retraining.text) }
        return lines.joined(separator: "\n") + "\n"
    }
}

/// One setting's value as JSON should type it: a number, a boolean, or else text.
/// `SearchSettings.fields` writes numbers and flags with `String(_:)`, so reading them back here
/// is exact, and `status --format json` says `"buckets": 32, "layerwise-strict": false` rather
/// than strings.
enum SettingValue: Encodable, Equatable {
    case number(Int)
    case flag(Bool)
    case text(String)

    init(_ text: String) {
        if let number = Int(text) {
            self = .number(number)
        } else if let flag = Bool(text) {
            self = .flag(flag)
        } else {
            self = .text(text)
        }
    }

    /// The value as `status` prints it.
    var text: String {
        switch self {
        case .number(let number): return String(number)
        case .flag(let flag): return String(flag)
        case .text(let text): return text
        }
    }

    func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        switch self {
        case .number(let number): try container.encode(number)
        case .flag(let flag): try container.encode(flag)
        case .text(let text): try container.encode(text)
        }
    }
}
