import Foundation
import NASSearch
import Synchronization

/// Shows search progress on stderr: a redrawn bar on a terminal, plain lines every few seconds
/// otherwise (logs, CI).
///
/// On a terminal the line always fits the window's width (read at every redraw, so a resize is
/// followed): parts are shortened or left out, least useful first, and never wrap. The bar is
/// redrawn every second even while nothing finishes, so the running evaluations' time moves.
final class ProgressDisplay: Sendable {
    private let isTerminal = isatty(STDERR_FILENO) == 1
    private let lastDraw = Mutex<Double>(0)
    private let latest = Mutex<SearchProgress?>(nil)
    private let quiet: Bool
    // Set once in init, then only cancelled (a thread-safe call on a dispatch source).
    nonisolated(unsafe) private let ticker: DispatchSourceTimer?

    init(quiet: Bool) {
        self.quiet = quiet
        if !quiet && isTerminal {
            let timer = DispatchSource.makeTimerSource(queue: DispatchQueue(label: "layernas.progress"))
            timer.schedule(deadline: .now() + 1, repeating: 1)
            ticker = timer
        } else {
            ticker = nil
        }
        ticker?.setEventHandler { [weak self] in self?.redrawLatest() }
        ticker?.resume()
    }

    deinit { ticker?.cancel() }

    func update(_ progress: SearchProgress) {
        guard !quiet else { return }
        latest.withLock { $0 = progress }
        let now = Date().timeIntervalSince1970
        let interval = isTerminal ? 0.1 : 5.0
        let due = lastDraw.withLock { last -> Bool in
            guard now - last >= interval else { return false }
            last = now
            return true
        }
        guard due else { return }
        draw(progress)
    }

    private func redrawLatest() {
        guard let progress = latest.withLock({ $0 }) else { return }
        lastDraw.withLock { $0 = Date().timeIntervalSince1970 }
        draw(progress)
    }

    private func draw(_ progress: SearchProgress) {
        if isTerminal {
            let line = Self.line(progress, barWidth: 24, width: Self.terminalWidth())
            FileHandle.standardError.write(Data("\r\u{1B}[2K\(line)".utf8))
        } else {
            FileHandle.standardError.write(Data("\(Self.line(progress, barWidth: 0))\n".utf8))
        }
    }

    /// Ends the bar line on a terminal.
    func finish() {
        ticker?.cancel()
        guard !quiet, isTerminal else { return }
        FileHandle.standardError.write(Data("\n".utf8))
    }

    /// Columns of the terminal on stderr, else `COLUMNS`, else 80.
    static func terminalWidth() -> Int {
        var size = winsize()
        if ioctl(STDERR_FILENO, UInt(TIOCGWINSZ), &size) == 0 && size.ws_col > 0 { return Int(size.ws_col) }
        return ProcessInfo.processInfo.environment["COLUMNS"].flatMap(Int.init).flatMap { $0 > 0 ? $0 : nil } ?? 80
    }

    /// One progress line of at most `width - 1` characters (the last column would make some
    /// terminals wrap). Fuller forms are tried first; each next one gives up something less useful.
    static func line(_ progress: SearchProgress, barWidth: Int, width: Int = Int.max, now: Double = Date().timeIntervalSince1970) -> String {
        let done = progress.evaluated + progress.failed
        let rate = progress.runSeconds > 0 ? Double(progress.runEvaluations) / progress.runSeconds : 0
        let score = progress.bestScore.map { String(format: "%.4f", $0) }
        func compose(bar: Int, long: Bool, dropped: Bool, speed: Bool, key: Int?, runningTime: Bool) -> String {
            var parts: [String] = []
            if let budget = progress.budget, bar > 0 {
                let filled = min(bar, budget > 0 ? bar * done / budget : bar)
                parts.append("[" + String(repeating: "#", count: filled) + String(repeating: ".", count: bar - filled) + "]")
            }
            let count = progress.budget.map { "\(done)/\($0)" } ?? "\(done)"
            parts.append(long ? "\(count) evaluated" : count)
            if progress.failed > 0 { parts.append("\(progress.failed) failed") }
            if progress.running > 0 {
                var running = "\(progress.running) running"
                if runningTime, let since = progress.oldestRunningSince { running += " \(formatDuration(max(0, now - since)))" }
                parts.append(running)
            }
            if dropped && progress.dropped > 0 { parts.append("\(progress.dropped) dropped") }
            if let score {
                if let bestKey = progress.bestKey, let key {
                    parts.append("best \(abbreviated(bestKey, to: key)) \(score)")
                } else {
                    parts.append("best \(score)")
                }
            }
            if speed && rate > 0 {
                parts.append(rate >= 1 ? String(format: "%.1f/s", rate) : String(format: "%.1fs each", 1 / rate))
            }
            if rate > 0, let budget = progress.budget, budget > done {
                parts.append("ETA \(formatDuration(Double(budget - done) / rate))")
            }
            return parts.joined(separator: "  ")
        }
        let room = width == Int.max ? Int.max : max(1, width - 1)
        let fullKey = progress.bestKey?.count ?? 0
        let variants: [() -> String] = [
            { compose(bar: barWidth, long: true, dropped: true, speed: true, key: fullKey, runningTime: true) },
            { compose(bar: min(barWidth, 10), long: true, dropped: true, speed: true, key: fullKey, runningTime: true) },
            { compose(bar: 0, long: true, dropped: true, speed: true, key: fullKey, runningTime: true) },
            { compose(bar: 0, long: true, dropped: false, speed: true, key: fullKey, runningTime: true) },
            { compose(bar: 0, long: true, dropped: false, speed: false, key: fullKey, runningTime: true) },
            { compose(bar: 0, long: false, dropped: false, speed: false, key: fullKey, runningTime: true) },
            { compose(bar: 0, long: false, dropped: false, speed: false, key: 16, runningTime: true) },
            { compose(bar: 0, long: false, dropped: false, speed: false, key: nil, runningTime: true) },
            { compose(bar: 0, long: false, dropped: false, speed: false, key: nil, runningTime: false) },
        ]
        for variant in variants {
            let line = variant()
            if line.count <= room { return line }
        }
        return String(variants[variants.count - 1]().prefix(room))
    }

    /// `text` cut to at most `limit` characters with an ellipsis in the middle.
    static func abbreviated(_ text: String, to limit: Int) -> String {
        guard text.count > limit, limit >= 3 else { return text }
        let head = (limit - 1) / 2
        return String(text.prefix(head)) + "…" + String(text.suffix(limit - 1 - head))
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
