/// One search layer: a single decision among `options`.
package struct SearchLayer: Sendable, Hashable, Codable {
    /// Layer's name in the search space.
    package var name: String
    /// Options the search may choose from for the layer.
    package var options: [LayerOption]
    /// Index in `options` of the default option: the most expensive one (docs/ARCHITECTURE.md#costs-and-defaults), which
    /// layers not yet searched hold.
    package var defaultIndex: Int

    /// Creates a searchable layer with its options and default choice.
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
