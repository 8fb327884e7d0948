/// One candidate: the option index chosen at every search layer.
///
/// Its canonical text key is the option labels joined by `-` (e.g. `C-B-D`); see
/// `SearchSpace.key(of:)` and `SearchSpace.architecture(key:)`.
package struct Architecture: Sendable, Hashable, Codable, CustomStringConvertible {
    /// Chosen option index for each layer.
    package var optionIndices: [Int]

    /// Creates an architecture from one option index per layer.
    package init(_ optionIndices: [Int]) {
        self.optionIndices = optionIndices
    }

    /// The same architecture with layer `layer` (0-based) set to `option`.
    package func replacing(layer: Int, with option: Int) -> Architecture {
        var copy = self
        copy.optionIndices[layer] = option
        return copy
    }

    /// Option indices joined by `.`, for diagnostics; users see keys.
    package var description: String {
        optionIndices.map(String.init).joined(separator: ".")
    }
}

extension SearchSpace {
    /// Separator between option labels in an architecture key. Labels cannot contain it.
    package static let keySeparator: Character = "-"

    /// The canonical key: option labels joined by `-`.
    package func key(of architecture: Architecture) -> String {
        options(of: architecture).map(\.label).joined(separator: String(Self.keySeparator))
    }

    /// Parses a canonical key.
    ///
    /// - Throws: `SpaceError.badArchitecture` naming the key and what is wrong with it.
    package func architecture(key: String) throws -> Architecture {
        let labels = key.split(separator: Self.keySeparator, omittingEmptySubsequences: false)
        guard labels.count == layers.count else {
            throw SpaceError.badArchitecture(
                key: key,
                message: "expected \(layers.count) labels joined by '-' (one per layer), got \(labels.count)"
            )
        }
        var indices: [Int] = []
        for (position, (layer, label)) in zip(layers, labels).enumerated() {
            guard let index = layer.optionIndex(label: String(label)) else {
                let known = layer.options.map(\.label).joined(separator: ", ")
                throw SpaceError.badArchitecture(
                    key: key,
                    message: "layer \(position + 1) (\(layer.name)) has no option '\(label)'; options: \(known)"
                )
            }
            indices.append(index)
        }
        return Architecture(indices)
    }
}
