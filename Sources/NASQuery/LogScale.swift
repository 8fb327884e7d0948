import Foundation

/// A logarithmic axis over positive values: it ends on powers of ten, ticks every decade, and
/// also at 2 and 5 times a power of ten when the axis spans two decades or fewer (`--log-x`).
package struct LogScale: Sendable, Equatable {
    /// First tick, a power of ten at or below the data's minimum.
    package var lower: Double
    /// Last tick, a power of ten at or above the data's maximum.
    package var upper: Double

    /// A scale covering `minimum...maximum`, both positive (others are the caller's to refuse).
    package init(minimum: Double, maximum: Double) {
        precondition(minimum > 0 && maximum >= minimum, "a log scale needs positive values")
        lower = pow(10, log10(minimum).rounded(.down))
        upper = pow(10, log10(maximum).rounded(.up))
        if upper <= lower { upper = lower * 10 }
    }

    /// Number of decades the axis spans.
    var decades: Int { Int((log10(upper) - log10(lower)).rounded()) }
}

extension LogScale: AxisScale {
    package var ticks: [Double] {
        let first = Int(log10(lower).rounded())
        let multiples: [Double] = decades <= 2 ? [1, 2, 5] : [1]
        var ticks: [Double] = []
        for exponent in first..<(first + decades) {
            for multiple in multiples { ticks.append(multiple * pow(10, Double(exponent))) }
        }
        return ticks + [upper]
    }

    /// `500`, `2k`, `1M`, `0.01`: at most three significant digits with an SI suffix.
    package func label(_ value: Double) -> String {
        let (divisor, suffix): (Double, String) =
            value >= 1e9 ? (1e9, "G") : value >= 1e6 ? (1e6, "M") : value >= 1e3 ? (1e3, "k") : (1, "")
        return String(format: "%.3g", value / divisor) + suffix
    }

    package func fraction(_ value: Double) -> Double {
        guard value > 0 else { return -.infinity }
        return (log10(value) - log10(lower)) / (log10(upper) - log10(lower))
    }
}
