import Foundation
import NASSearch
import Synchronization

/// Shows search progress on stderr: a redrawn bar on a terminal, plain lines every few seconds
/// otherwise (logs, CI).
final class ProgressDisplay: Sendable {
    private let isTerminal = isatty(STDERR_FILENO) == 1
    private let lastDraw = Mutex<Double>(0)
    private let quiet: Bool

    init(quiet: Bool) {
        self.quiet = quiet
    }

    func update(_ progress: SearchProgress) {
        guard !quiet else { return }
        let now = Date().timeIntervalSince1970
        let interval = isTerminal ? 0.1 : 5.0
        let due = lastDraw.withLock { last -> Bool in
            guard now - last >= interval else { return false }
            last = now
            return true
        }
        guard due else { return }
        let line = Self.line(progress, barWidth: isTerminal ? 24 : 0)
        if isTerminal {
            FileHandle.standardError.write(Data("\r\u{1B}[2K\(line)".utf8))
        } else {
            FileHandle.standardError.write(Data("\(line)\n".utf8))
        }
    }

    /// Ends the bar line on a terminal.
    func finish() {
        guard !quiet, isTerminal else { return }
        FileHandle.standardError.write(Data("\n".utf8))
    }

    static func line(_ progress: SearchProgress, barWidth: Int) -> String {
        let done = progress.evaluated + progress.failed
        var parts: [String] = []
        if let budget = progress.budget, barWidth > 0 {
            let filled = min(barWidth, budget > 0 ? barWidth * done / budget : barWidth)
            parts.append("[" + String(repeating: "#", count: filled) + String(repeating: ".", count: barWidth - filled) + "]")
        }
        parts.append(progress.budget.map { "\(done)/\($0) evaluated" } ?? "\(done) evaluated")
        if progress.failed > 0 { parts.append("\(progress.failed) failed") }
        parts.append("\(progress.dropped) dropped")
        if let key = progress.bestKey, let score = progress.bestScore {
            parts.append("best \(key) \(String(format: "%.4f", score))")
        }
        let rate = progress.runSeconds > 0 ? Double(progress.runEvaluations) / progress.runSeconds : 0
        if rate > 0 {
            parts.append(rate >= 1 ? String(format: "%.1f/s", rate) : String(format: "%.1fs each", 1 / rate))
            if let budget = progress.budget, budget > done {
                parts.append("ETA \(formatDuration(Double(budget - done) / rate))")
            }
        }
        return parts.joined(separator: "  ")
    }

    static func formatDuration(_ seconds: Double) -> String {
        // Stored values may have been edited by hand: anything is shown, nothing traps.
        guard seconds.isFinite, seconds >= 0 else { return "?" }
        let total = Int(min(seconds, 1e12).rounded())
        if total >= 3600 { return "\(total / 3600)h\(String(format: "%02d", total % 3600 / 60))m" }
        if total >= 60 { return "\(total / 60)m\(String(format: "%02d", total % 60))s" }
        return "\(total)s"
    }
}
