import NASSpace
import NASStore

/// What a stored search was created with: its space and settings, decoded from the JSON columns of
/// its `searches` row in this one place (for resuming and for every read-only command).
package struct SearchDefinition: Sendable {
    /// The search's own row.
    package var record: SearchRecord
    /// The space the search was created with.
    package var space: SearchSpace
    /// The settings the search was created with.
    package var settings: SearchSettings

    /// Decodes the stored space and settings of `record`.
    ///
    /// - Throws: `SearchError.mismatch` when they were written by a layernas that stores them
    ///   differently.
    package init(record: SearchRecord, path: String) throws(SearchError) {
        guard let space = JSONText.decode(SearchSpace.self, from: record.spaceJSON),
              let settings = JSONText.decode(SearchSettings.self, from: record.settingsJSON) else {
            throw SearchError.mismatch("\(path): search '\(record.name)' was stored by another layernas version and cannot be read")
        }
        if let wrong = settings.outOfRange {
            throw SearchError.mismatch("\(path): search '\(record.name)' has stored settings no layernas writes (\(wrong)); the database was edited by hand")
        }
        self.record = record
        self.space = space
        self.settings = settings
    }
}
