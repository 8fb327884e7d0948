import Foundation
import NASSpace

/// Sampling helpers on NASSpace's `SplitMix64` (Steele, Lea & Flood, 2014). Every random choice of
/// training — weight initialisation and shuffling — comes from a generator seeded from the
/// recipe, so runs are reproducible.
extension SplitMix64 {
    /// A uniform `Float` in [0, 1) from the top 24 bits.
    mutating func nextUniform() -> Float {
        Float(next() >> 40) * (1 / Float(1 << 24))
    }

    /// A standard normal sample: Box–Muller, `√(−2 ln u₁) · cos(2π u₂)` with `u₁ ∈ (0, 1]`,
    /// `u₂ ∈ [0, 1)`.
    mutating func nextNormal() -> Double {
        let u1 = (Double(next() >> 11) + 1) * 0x1p-53
        let u2 = Double(next() >> 11) * 0x1p-53
        return (-2 * Foundation.log(u1)).squareRoot() * Foundation.cos(2 * Double.pi * u2)
    }

    /// An independent stream for `purpose`, derived from `seed`, so initialisation and shuffling
    /// do not share one sequence.
    static func stream(seed: UInt64, purpose: UInt64) -> SplitMix64 {
        var mixer = SplitMix64(seed: seed ^ (purpose &* 0xD1B5_4A32_D192_ED03))
        return SplitMix64(seed: mixer.next())
    }
}
