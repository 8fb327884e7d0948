import Foundation

/// A logarithmic axis over positive values (`--log-x`). Its ends are 1, 2 or 5 times a power of
/// ten around the data, so a range within one decade (150k to 250k) is not lost in a whole one.
/// Ticks: 1, 2 and 5 times each power of ten when the axis spans two decades or fewer, else
/// the powers of ten; the two ends are always ticks.
package struct LogScale: Sendable, Equatable {
    /// First tick, at or below the data's minimum.
    package var lower: Double
    /// Last tick, at or above the data's maximum.
    package var upper: Double

    /// A scale covering `minimum...maximum`, both positive (others are the caller's to refuse).
    package init(minimum: Double, maximum: Double) {
        precondition(minimum > 0 && maximum >= minimum, "a log scale needs positive values")
        lower = Self.roundNumbers(around: minimum).last { $0 <= minimum * (1 + 1e-12) } ?? minimum
        upper = Self.roundNumbers(around: maximum).first { $0 >= maximum * (1 - 1e-12) } ?? maximum
        if upper <= lower { upper = Self.roundNumbers(around: lower * 1.5).first { $0 > lower } ?? lower * 10 }
    }

    /// 1, 2 and 5 times the powers of ten from one decade below `value` to one above.
    static func roundNumbers(around value: Double) -> [Double] {
        let exponent = log10(value).rounded(.down)
        return (-1...1).flatMap { offset in [1.0, 2, 5].map { $0 * pow(10, exponent + Double(offset)) } }
    }
}

extension LogScale: AxisScale {
    package var ticks: [Double] {
        let multiples: [Double] = log10(upper / lower) <= 2 + 1e-9 ? [1, 2, 5] : [1]
        let first = log10(lower).rounded(.down)
        let last = log10(upper).rounded(.up)
        var ticks = [lower]
        for exponent in stride(from: first, through: last, by: 1) {
            for multiple in multiples {
                let tick = multiple * pow(10, exponent)
                if tick > lower * (1 + 1e-9) && tick < upper * (1 - 1e-9) { ticks.append(tick) }
            }
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
