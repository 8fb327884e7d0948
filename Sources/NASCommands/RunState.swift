import NASStore

/// A search's status as a user should read it: a search recorded as running whose owner died
/// (kill -9, a double Ctrl-C, a reboot) is stopped, and says how to go on.
struct RunState {
    var status: SearchStatus
    var stopReason: String?

    init(_ record: SearchRecord) {
        status = record.status
        stopReason = record.stopReason
        if record.status == .running, let owner = record.owner,
           !ProcessIdentity.isAlive(owner: owner, heartbeat: record.ownerHeartbeatAt) {
            status = .stopped
            stopReason = "process \(owner) is gone; run the same command to resume"
        }
    }
}
