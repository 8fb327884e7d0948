import Foundation

/// The small pieces of SVG text every plot writes: numbers, escaped text, the document frame.
/// Plots are standalone SVG 1.1 with no scripts and no external resources, so a browser, an
/// image viewer or a test's XML parser reads them alike (docs/ARCHITECTURE.md#plots).
package enum SVGMarkup {
    /// The opening of a document of `width` × `height` units with a white background.
    static func header(width: Double, height: Double) -> String {
        """
        <?xml version="1.0" encoding="UTF-8"?>
        <svg xmlns="http://www.w3.org/2000/svg" version="1.1" width="\(f(width))" height="\(f(height))" viewBox="0 0 \(f(width)) \(f(height))" font-family="DejaVu Sans, Helvetica, Arial, sans-serif" font-size="13">
        <rect x="0" y="0" width="\(f(width))" height="\(f(height))" fill="#ffffff"/>

        """
    }

    /// A coordinate with at most two decimals (non-finite values as 0, so the XML stays valid).
    static func f(_ value: Double) -> String {
        guard value.isFinite else { return "0" }
        let rounded = (value * 100).rounded() / 100
        return rounded == rounded.rounded() ? String(Int64(rounded)) : String(rounded)
    }

    /// A value for tooltips and tables: integers as integers, others with four significant digits.
    static func value(_ value: Double) -> String {
        value.rounded() == value && abs(value) < 1e15 ? String(Int64(value)) : String(format: "%.4g", value)
    }

    /// Text escaped for XML content and attribute values.
    static func escape(_ text: String) -> String {
        var output = ""
        for character in text {
            switch character {
            case "&": output += "&amp;"
            case "<": output += "&lt;"
            case ">": output += "&gt;"
            case "\"": output += "&quot;"
            case "'": output += "&apos;"
            default:
                // Control characters are not allowed in XML 1.0.
                if character.unicodeScalars.allSatisfy({ $0.value < 0x20 }) {
                    output += " "
                } else {
                    output.append(character)
                }
            }
        }
        return output
    }

    /// A centred bold title and a grey subtitle at the top of a plot `width` wide.
    static func heading(_ title: String, subtitle: String, width: Double) -> String {
        "<text class=\"title\" x=\"\(f(width / 2))\" y=\"28\" text-anchor=\"middle\" font-size=\"18\" font-weight=\"bold\">\(escape(title))</text>\n"
            + "<text class=\"subtitle\" x=\"\(f(width / 2))\" y=\"48\" text-anchor=\"middle\" fill=\"#555555\">\(escape(subtitle))</text>\n"
    }
}
