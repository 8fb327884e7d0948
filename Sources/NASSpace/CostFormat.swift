/// Formats cost values for people: integers without a decimal point.
package enum CostFormat {
    /// Formats a cost compactly for display.
    package static func string(_ value: Double) -> String {
        if value.rounded() == value, abs(value) < 1e16 {
            return String(Int64(value))
        }
        return String(value)
    }
}
