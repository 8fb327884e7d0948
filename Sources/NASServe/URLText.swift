import Foundation

/// Percent-encoding for the values the dashboard puts into its own links.
enum URLText {
    /// Letters, digits and `-._~` stay; everything else is percent-encoded.
    static func queryValue(_ text: String) -> String {
        var allowed = CharacterSet.alphanumerics
        allowed.insert(charactersIn: "-._~")
        return text.addingPercentEncoding(withAllowedCharacters: allowed) ?? ""
    }
}
