import NASSearch
import NASSpace
import NASStore

/// Which architecture `retrain` trains: `--candidate ID`, `--arch KEY`, or the search's answer.
struct RetrainTarget {
    var candidateID: Int64?
    var arch: String
    var shape: ModelShape

    static func choose(store: Store, search: SearchDefinition, candidate: Int64?, arch: String?) throws -> RetrainTarget {
        let space = search.space
        let architecture: Architecture
        var candidateID: Int64?
        if let candidate {
            guard let record = try store.candidates(searchID: search.record.id).first(where: { $0.id == candidate }) else {
                throw CommandFailure(status: .badInput, description: "--candidate: search '\(search.record.name)' has no candidate \(candidate)")
            }
            do {
                architecture = try space.architecture(key: record.arch)
            } catch {
                throw CommandFailure(status: .badInput, description: "--candidate: \(error)")
            }
            candidateID = record.id
        } else if let arch {
            do {
                architecture = try space.architecture(key: arch)
            } catch {
                throw CommandFailure(status: .badInput, description: "--arch: \(error)")
            }
            let key = space.key(of: architecture)
            candidateID = try store.candidates(searchID: search.record.id).first(where: { $0.arch == key })?.id
        } else {
            guard let best = try store.bestCandidate(searchID: search.record.id) else {
                throw CommandFailure(status: .failure, description: "search '\(search.record.name)' has no evaluated candidate inside the target window yet; name one with --candidate or --arch")
            }
            do {
                architecture = try space.architecture(key: best.arch)
            } catch {
                throw CommandFailure(status: .badInput, description: "\(store.path): candidate \(best.id): \(error)")
            }
            candidateID = best.id
        }
        guard let shape = space.modelShape(for: architecture) else {
            throw CommandFailure(status: .badInput, description: "\(store.path): search '\(search.record.name)' has a \(space.family.rawValue) space; retrain needs an mlp, cnn or mobilenet space (the built-in trainer)")
        }
        return RetrainTarget(candidateID: candidateID, arch: space.key(of: architecture), shape: shape)
    }
}
