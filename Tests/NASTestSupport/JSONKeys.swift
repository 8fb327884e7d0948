/// Checks on the JSON layernas prints.
public enum JSONKeys {
    /// Objects whose keys are data (layer names, metric names, setting names), not field names.
    public static let dataKeyedFields: Set<String> = ["options", "costs", "settings", "default_costs", "metrics"]

    /// Every field name in `value` (parsed by `JSONSerialization`) that is not snake_case,
    /// leaving out the keys of the `dataKeyedFields` objects.
    public static func notSnakeCase(in value: Any) -> [String] {
        var found: [String] = []
        func visit(_ value: Any) {
            if let object = value as? [String: Any] {
                for (key, child) in object {
                    if key.contains(where: { $0.isUppercase || $0 == "-" || $0 == " " }) { found.append(key) }
                    if !dataKeyedFields.contains(key) { visit(child) }
                }
            } else if let array = value as? [Any] {
                array.forEach(visit)
            }
        }
        visit(value)
        return found.sorted()
    }
}
