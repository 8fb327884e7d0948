/// The cost window `[min, max]` the search aims at, on one metric (both ends included).
public struct CostTarget: Sendable, Hashable, Codable {
    public var metric: CostMetric
    public var min: Double
    public var max: Double

    public init(metric: CostMetric, min: Double, max: Double) {
        precondition(min <= max, "target window must not be empty")
        self.metric = metric
        self.min = min
        self.max = max
    }

    /// Whether `value` lies inside the window.
    public func contains(_ value: Double) -> Bool { value >= min && value <= max }

    /// Whether the interval `range` meets the window.
    public func overlaps(_ range: ClosedRange<Double>) -> Bool {
        range.upperBound >= min && range.lowerBound <= max
    }
}
