import NASSpace
import NASStore

/// The search state in memory: a cache of what the database holds, rebuilt from it on every
/// start and changed only after the matching write has committed.
struct SearchState {
    struct Candidate {
        var id: Int64
        var architecture: Architecture
        var cost: Double
        var inWindow: Bool
        var status: CandidateStatus
        var score: Double?
        var parentID: Int64?
        var layer: Int?
        var step: Int?
        var seq: Int
        /// Evaluated and offered to the per-layer stores (or nothing to offer).
        var offered: Bool

        /// Nothing about it can change any more: dropped, failed, or evaluated and offered.
        var isSettled: Bool {
            switch status {
            case .dropped, .failed: return true
            case .evaluated: return offered
            case .pending, .running: return false
            }
        }
    }

    struct Membership {
        var bucket: Int
        var state: MembershipState
        var offer: Int
        var expanded: Bool
    }

    /// Parent of a LayerNAS step: a stored candidate, or the base model (`nil`) at layer 1.
    struct ParentKey: Hashable {
        var parent: Int64?
        var layer: Int
    }

    let space: SearchSpace
    var candidates: [Int64: Candidate] = [:]
    var order: [Int64] = []
    var idByArchitecture: [Architecture: Int64] = [:]
    /// 1-based layer → candidate → membership.
    var memberships: [Int: [Int64: Membership]] = [:]
    /// 1-based layer → bucket → kept member ids.
    var kept: [Int: [Int: [Int64]]] = [:]
    /// Options of layer `key.layer` already generated from `key.parent` (0-based option indices).
    var tried: [ParentKey: Set<Int>] = [:]
    var steps: [StepRecord] = []
    var lastOffer = 0
    var lastSeq = 0
    /// Number of candidates in each status.
    private(set) var statusCounts: [CandidateStatus: Int] = [:]
    /// The answer so far: the best evaluated candidate inside the window.
    private(set) var best: Candidate?
    /// Index in `order` before which every candidate is settled.
    private var settledCursor = 0

    init(space: SearchSpace, stored: StoredSearchState) throws(SearchError) {
        self.space = space
        for record in stored.candidates {
            let architecture: Architecture
            do {
                architecture = try space.architecture(key: record.arch)
            } catch {
                throw SearchError.mismatch("stored candidate '\(record.arch)' does not belong to the stored space: \(error)")
            }
            try Self.checkCost(of: record.id, architecture, storedCost: record.cost, storedInWindow: record.inWindow, space: space)
            add(Candidate(
                id: record.id, architecture: architecture, cost: record.cost, inWindow: record.inWindow,
                status: record.status, score: record.score, parentID: record.parentID, layer: record.layer,
                step: record.step, seq: record.seq, offered: record.offered))
        }
        for membership in stored.memberships {
            apply(membership: membership)
        }
        steps = stored.steps
    }

    /// The space is stored as JSON beside the costs computed from it when each candidate was
    /// made: a difference means one of them was edited by hand, and nothing computed from the
    /// space can be trusted.
    static func checkCost(of id: Int64, _ architecture: Architecture, storedCost: Double, storedInWindow: Bool, space: SearchSpace) throws(SearchError) {
        let cost = space.targetCost(of: architecture)
        if abs(cost - storedCost) > 1e-9 * max(1, abs(cost)) || space.target.contains(cost) != storedInWindow {
            throw SearchError.mismatch("stored candidate \(id) '\(space.key(of: architecture))' has cost \(storedCost) (in window: \(storedInWindow)) but the stored space gives \(cost) (in window: \(space.target.contains(cost))); the database was edited by hand")
        }
    }

    /// `checkCost` for every stored candidate of a search, before anything is written on resume.
    static func checkCosts(of candidates: [CandidateRecord], space: SearchSpace) throws(SearchError) {
        for record in candidates {
            guard let architecture = try? space.architecture(key: record.arch) else {
                throw SearchError.mismatch("stored candidate '\(record.arch)' does not belong to the stored space; the database was edited by hand")
            }
            try checkCost(of: record.id, architecture, storedCost: record.cost, storedInWindow: record.inWindow, space: space)
        }
    }

    mutating func add(_ candidate: Candidate) {
        candidates[candidate.id] = candidate
        order.append(candidate.id)
        statusCounts[candidate.status, default: 0] += 1
        considerForBest(candidate)
        idByArchitecture[candidate.architecture] = candidate.id
        lastSeq = max(lastSeq, candidate.seq)
        if let layer = candidate.layer {
            let option = candidate.architecture.optionIndices[layer - 1]
            tried[ParentKey(parent: candidate.parentID, layer: layer), default: []].insert(option)
        }
    }

    private mutating func apply(membership record: MembershipRecord) {
        memberships[record.layer, default: [:]][record.candidateID] = Membership(
            bucket: record.bucket, state: record.state, offer: record.offer, expanded: record.expanded)
        lastOffer = max(lastOffer, record.offer)
        if record.state == .kept {
            kept[record.layer, default: [:]][record.bucket, default: []].append(record.candidateID)
        }
    }

    /// Records a committed status change (and score).
    mutating func setStatus(_ id: Int64, _ status: CandidateStatus, score: Double? = nil) {
        guard var candidate = candidates[id] else { return }
        statusCounts[candidate.status, default: 0] -= 1
        statusCounts[status, default: 0] += 1
        candidate.status = status
        candidate.score = score ?? candidate.score
        candidates[id] = candidate
        considerForBest(candidate)
    }

    private mutating func considerForBest(_ candidate: Candidate) {
        guard candidate.status == .evaluated, candidate.inWindow else { return }
        if let current = best, !SearchState.Candidate.precedes(candidate, current) { return }
        best = candidate
    }

    /// Records that a candidate's store consequences were committed.
    mutating func markOffered(_ id: Int64) {
        candidates[id]?.offered = true
    }

    /// The first candidate in generation order that is not settled yet.
    mutating func firstUnsettled() -> Candidate? {
        while settledCursor < order.count {
            if let candidate = candidates[order[settledCursor]], !candidate.isSettled { return candidate }
            settledCursor += 1
        }
        return nil
    }

    /// Up to `limit` pending candidates in generation order, skipping `excluded` ones.
    mutating func pending(limit: Int, excluding excluded: Set<Int64>) -> [Int64] {
        _ = firstUnsettled()
        var found: [Int64] = []
        var index = settledCursor
        while index < order.count, found.count < limit {
            let id = order[index]
            if candidates[id]?.status == .pending, !excluded.contains(id) { found.append(id) }
            index += 1
        }
        return found
    }

    /// Whether any candidate is pending or being evaluated.
    var hasUnfinishedWork: Bool { count(.pending) + count(.running) > 0 }

    func count(_ status: CandidateStatus) -> Int { statusCounts[status] ?? 0 }

    /// Applies committed store changes.
    mutating func apply(_ changes: [MembershipChange]) {
        for change in changes {
            switch change {
            case .admit(let layer, let id, let bucket, let offer):
                memberships[layer, default: [:]][id] = Membership(bucket: bucket, state: .kept, offer: offer, expanded: false)
                kept[layer, default: [:]][bucket, default: []].append(id)
                lastOffer = max(lastOffer, offer)
            case .reject(let layer, let id, let bucket, let offer):
                memberships[layer, default: [:]][id] = Membership(bucket: bucket, state: .rejected, offer: offer, expanded: false)
                lastOffer = max(lastOffer, offer)
            case .evict(let layer, let id, _):
                guard let bucket = memberships[layer]?[id]?.bucket else { continue }
                memberships[layer]?[id]?.state = .evicted
                kept[layer]?[bucket]?.removeAll { $0 == id }
            }
        }
    }

    /// Kept members of a layer's store, by id (generation order).
    func keptMembers(layer: Int) -> [Int64] {
        (kept[layer] ?? [:]).values.flatMap { $0 }.sorted()
    }

    /// Evaluations counted against the budget: evaluated or failed candidates.
    var evaluationsDone: Int { count(.evaluated) + count(.failed) }
}

extension SearchState.Candidate {
    /// The store's ranking rule (`Ranking`) applied to two candidates.
    static func precedes(_ a: Self, _ b: Self) -> Bool {
        Ranking.precedes((a.score, a.cost, a.seq), (b.score, b.cost, b.seq))
    }
}
