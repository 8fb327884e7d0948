import Foundation
import NASSpace

/// A deterministic score computed from the architecture alone, for demos and tests without
/// training.
///
/// score = 0.55 + 0.30 · (1 − e^(−3·r)) + 0.10 · q̄ + 0.02 · (n − ½), where r is the architecture's
/// target cost relative to the space's range (bigger models score higher, with diminishing
/// returns), q̄ the mean of per-option qualities (a hash of seed, layer and label, in [0, 1]), and
/// n a per-architecture hash noise in [0, 1]. The same seed always gives the same scores, so the
/// global optimum of a small space can be found by enumeration and compared.
package struct SyntheticEvaluator: Evaluator {
    /// Seed that varies the synthetic scores.
    package let seed: UInt64

    /// Creates an evaluator with the given seed.
    package init(seed: UInt64 = 0) {
        self.seed = seed
    }

    /// The evaluator as named on the command line.
    package var description: String { seed == 0 ? "synthetic" : "synthetic:\(seed)" }

    /// Scores the candidate with a deterministic synthetic function, without training.
    package func evaluate(_ request: EvaluationRequest) throws(EvaluationError) -> EvaluationResult {
        if request.isCancelled() { throw .cancelled }
        return EvaluationResult(score: score(of: request.architecture, in: request.space))
    }

    /// The score of `architecture` (pure; also used by tests to find the optimum).
    package func score(of architecture: Architecture, in space: SearchSpace) -> Double {
        let range = space.reachableRange
        let span = max(range.upperBound - range.lowerBound, .leastNonzeroMagnitude)
        let relative = (space.targetCost(of: architecture) - range.lowerBound) / span
        let options = space.options(of: architecture)
        let quality = options.enumerated().map { layer, option in
            unitHash("\(layer)/\(option.label)")
        }.reduce(0, +) / Double(max(options.count, 1))
        let noise = unitHash(space.key(of: architecture))
        return 0.55 + 0.30 * (1 - exp(-3 * relative)) + 0.10 * quality + 0.02 * (noise - 0.5)
    }

    /// A hash of the seed and `text` mapped to [0, 1] (FNV-1a, then SplitMix64 finalisation).
    private func unitHash(_ text: String) -> Double {
        var hash: UInt64 = 0xCBF2_9CE4_8422_2325 ^ seed
        for byte in text.utf8 {
            hash = (hash ^ UInt64(byte)) &* 0x0000_0100_0000_01B3
        }
        var generator = SplitMix64(seed: hash)
        return Double(generator.next() >> 11) / Double(1 << 53)
    }
}
