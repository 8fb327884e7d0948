/// Status of a search (the `searches.status` column).
package enum SearchStatus: String, Codable, Sendable, CaseIterable {
    /// Stored, never run.
    case created
    /// A process owns it and is searching (or was killed while it did).
    case running
    /// Interrupted by the user; a resume goes on.
    case stopped
    /// Ended: its budget, time limit or space is used up.
    case finished
    /// Ended on an error; a resume tries again.
    case failed

    /// True for the statuses a run ends with (`Store.endRun`).
    package var isEndOfRun: Bool {
        switch self {
        case .stopped, .finished, .failed: return true
        case .created, .running: return false
        }
    }
}
