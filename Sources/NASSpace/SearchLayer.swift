/// One search layer: a single decision among `options`.
package struct SearchLayer: Sendable, Hashable, Codable {
    package var name: String
    package var options: [LayerOption]
    /// Index in `options` of the default option: the most expensive one (docs/ARCHITECTURE.md#costs-and-defaults), which
    /// layers not yet searched hold.
    package var defaultIndex: Int

    package init(name: String, options: [LayerOption], defaultIndex: Int) {
        precondition(options.indices.contains(defaultIndex), "default option out of range")
        self.name = name
        self.options = options
        self.defaultIndex = defaultIndex
    }

    /// Index of the option with `label`, if any.
    package func optionIndex(label: String) -> Int? {
        options.firstIndex { $0.label == label }
    }
}
