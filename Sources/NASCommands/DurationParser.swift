/// Parses durations such as `90`, `90s`, `30m`, `2h`, `1h30m` into seconds.
enum DurationParser {
    /// The longest duration accepted (ten years): longer ones overflow the clocks they are added to.
    static let longestSeconds = 3650.0 * 86400
    /// What a valid value looks like, for error messages.
    static let expected = "expected a duration such as 90s, 30m or 2h, at most 3650d"

    /// Seconds, or nil for text that is not a positive duration of at most `longestSeconds`.
    static func seconds(_ text: String) -> Double? {
        guard let seconds = parse(text), seconds <= longestSeconds else { return nil }
        return seconds
    }

    private static func parse(_ text: String) -> Double? {
        let units: [Character: Double] = ["s": 1, "m": 60, "h": 3600, "d": 86400]
        if let plain = Double(text), plain > 0, plain.isFinite { return plain }
        var total = 0.0
        var number = ""
        for character in text {
            if character.isNumber || character == "." {
                number.append(character)
            } else if let unit = units[character], let value = Double(number) {
                total += value * unit
                number = ""
            } else {
                return nil
            }
        }
        guard number.isEmpty, total > 0 else { return nil }
        return total
    }
}
