/// The cost window `[min, max]` the search aims at, on one metric (both ends included).
package struct CostTarget: Sendable, Hashable, Codable {
    package var metric: CostMetric
    package var min: Double
    package var max: Double

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
