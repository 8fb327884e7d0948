import Foundation

/// An axis scale with round tick values (1, 2 or 5 times a power of ten), covering a data range.
///
/// Heckbert's "nice numbers" (Graphics Gems, 1990): the tick step is a nice number near
/// range / (ticks − 1) and the axis ends on multiples of it.
package struct NiceScale: Sendable, Equatable {
    /// First tick, at or below the data's minimum.
    package var lower: Double
    /// Last tick, at or above the data's maximum.
    package var upper: Double
    /// Distance between ticks, a round number.
    package var step: Double

    /// A scale covering `minimum...maximum` with about `ticks` ticks.
    package init(minimum: Double, maximum: Double, ticks: Int = 6) {
        precondition(ticks >= 2, "a scale needs two ticks")
        var low = minimum.isFinite ? minimum : 0
        var high = maximum.isFinite ? maximum : 1
        if low > high { swap(&low, &high) }
        if high == low {
            let pad = low == 0 ? 1 : abs(low) * 0.1
            low -= pad
            high += pad
        }
        let range = Self.nice(high - low, round: false)
        step = Self.nice(range / Double(ticks - 1), round: true)
        lower = (low / step).rounded(.down) * step
        upper = (high / step).rounded(.up) * step
    }

    /// The tick values from `lower` to `upper`, computed as integer multiples of `step`.
    package var ticks: [Double] {
        let first = (lower / step).rounded()
        let last = (upper / step).rounded()
        guard last >= first, last - first < 1000 else { return [lower, upper] }
        return stride(from: first, through: last, by: 1).map { $0 * step }
    }

    /// A nice number near `value`: 1, 2 or 5 (or 10) times a power of ten; rounded to the nearest
    /// when `round`, else the smallest not below `value`.
    static func nice(_ value: Double, round: Bool) -> Double {
        let exponent = log10(value).rounded(.down)
        let power = pow(10, exponent)
        let fraction = value / power
        let niceFraction: Double
        if round {
            niceFraction = fraction < 1.5 ? 1 : fraction < 3 ? 2 : fraction < 7 ? 5 : 10
        } else {
            niceFraction = fraction <= 1 ? 1 : fraction <= 2 ? 2 : fraction <= 5 ? 5 : 10
        }
        return niceFraction * power
    }

    /// A tick label: as many decimals as the step needs, with k, M or G for large values
    /// (`250k`, `1.5M`); zero is always `0` (never `0M` or `0.00`).
    package func label(_ value: Double) -> String {
        if abs(value) < step / 1e6 { return "0" }
        let magnitude = max(abs(lower), abs(upper))
        let (divisor, suffix): (Double, String) =
            magnitude >= 1e10 ? (1e9, "G") : magnitude >= 1e7 ? (1e6, "M") : magnitude >= 1e4 ? (1e3, "k") : (1, "")
        let scaledStep = step / divisor
        let decimals = max(0, min(12, Int((-log10(scaledStep) - 1e-9).rounded(.up))))
        let scaled = value / divisor
        let text = String(format: "%.\(decimals)f", scaled)
        return text + suffix
    }
}
