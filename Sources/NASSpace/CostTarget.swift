/// The cost window `[min, max]` the search aims at, on one metric (both ends included).
package struct CostTarget: Sendable, Hashable, Codable {
    /// Cost metric the window is on.
    package var metric: CostMetric
    /// Lower bound of the target window.
    package var min: Double
    /// Upper bound of the target window.
    package var max: Double

    /// Creates a target window on a metric.
    package init(metric: CostMetric, min: Double, max: Double) {
        precondition(min <= max, "target window must not be empty")
        self.metric = metric
        self.min = min
        self.max = max
    }

    /// Whether `value` lies inside the window.
    package func contains(_ value: Double) -> Bool { value >= min && value <= max }

    /// Whether the interval `range` meets the window.
    package func overlaps(_ range: ClosedRange<Double>) -> Bool {
        range.upperBound >= min && range.lowerBound <= max
    }
}
