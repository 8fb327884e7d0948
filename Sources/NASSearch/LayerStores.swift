import NASSpace
import NASStore

/// Insert(m, i) of LayerNAS (docs/ARCHITECTURE.md#bucket-admission-and-ties): the per-layer stores M_i in H buckets of k.
///
/// A candidate is offered to M_i if it is feasible at layer i (inside the window at the last
/// layer). Its bucket keeps the best k by score; a newcomer enters a full bucket only if its
/// score is strictly higher than the k-th member's (ties keep the incumbent), and pushes that
/// member out. A candidate kept in M_i is offered to M_{i+1} too: with layer i+1 at its default
/// it is already a member of the next store, without retraining ("self-propagation").
struct LayerStores {
    let space: SearchSpace
    let bucketMap: BucketMap
    let perBucket: Int

    /// The store changes caused by a newly evaluated `candidate` first offered at `layer`
    /// (1-based). Pure: `state` is not changed.
    func offer(_ candidateID: Int64, layer: Int, in state: SearchState) -> [MembershipChange] {
        var changes: [MembershipChange] = []
        var offer = state.lastOffer
        var current = layer
        while current <= space.layers.count {
            guard let kept = admit(candidateID, layer: current, state: state, offer: &offer, changes: &changes), kept else { break }
            current += 1
        }
        return changes
    }

    /// Offers the candidate to one layer's store. Returns nil when it is not offered at all
    /// (infeasible there, or already offered before), else whether it was kept.
    private func admit(
        _ id: Int64, layer: Int, state: SearchState, offer: inout Int, changes: inout [MembershipChange]
    ) -> Bool? {
        guard let candidate = state.candidates[id], candidate.status == .evaluated else { return nil }
        if state.memberships[layer]?[id] != nil { return nil }
        let decided = layer
        if !space.isFeasible(candidate.architecture, decided: decided) { return nil }
        let bucket = bucketMap.bucket(of: candidate.cost, layer: layer - 1)
        let members = (state.kept[layer]?[bucket] ?? []).compactMap { state.candidates[$0] }.sorted(by: SearchState.Candidate.precedes)
        offer += 1
        if members.count < perBucket {
            changes.append(.admit(layer: layer, candidateID: id, bucket: bucket, offer: offer))
            return true
        }
        let weakest = members[members.count - 1]
        if (candidate.score ?? -.infinity) > (weakest.score ?? -.infinity) {
            changes.append(.evict(layer: layer, candidateID: weakest.id, by: id))
            changes.append(.admit(layer: layer, candidateID: id, bucket: bucket, offer: offer))
            return true
        }
        changes.append(.reject(layer: layer, candidateID: id, bucket: bucket, offer: offer))
        return false
    }
}
