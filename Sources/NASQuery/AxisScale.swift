/// Where a value sits along an axis, which values get ticks and how they are labelled: linear
/// (`NiceScale`) or logarithmic (`LogScale`), so a plot draws either through one `PlotFrame`.
package protocol AxisScale: Sendable {
    /// The tick values, lowest first.
    var ticks: [Double] { get }
    /// The tick label of `value`.
    func label(_ value: Double) -> String
    /// The position of `value` along the axis, 0 at the low end and 1 at the high end (outside
    /// 0...1 beyond the ends; not finite for a value the scale cannot show, such as 0 on a log axis).
    func fraction(_ value: Double) -> Double
}

extension NiceScale: AxisScale {
    package func fraction(_ value: Double) -> Double {
        (value - lower) / (upper - lower)
    }
}
