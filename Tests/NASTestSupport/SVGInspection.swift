import Foundation
#if canImport(FoundationXML)
import FoundationXML
#endif

/// An SVG file parsed as XML, for tests that check what a plot draws rather than its text:
/// elements by class, each with its attributes and the text of its `<title>` (the tooltip).
public struct SVGInspection {
    /// One element of the drawing.
    public struct Mark {
        /// Element name without namespace (`circle`, `path`, `rect`, `text`).
        public var name: String
        public var attributes: [String: String]
        /// The text of a `<title>` child, nil when the element has none.
        public var title: String?
        /// The element's own text (for `<text>`).
        public var text: String
        /// The classes the element carries.
        public var classes: [String] { (attributes["class"] ?? "").split(separator: " ").map(String.init) }
        /// A numeric attribute.
        public func number(_ attribute: String) -> Double? { attributes[attribute].flatMap(Double.init) }
    }

    /// Every element in document order.
    public let marks: [Mark]

    /// Parses `svg`; throws when it is not well-formed XML.
    public init(_ svg: String) throws {
        let document = try XMLDocument(data: Data(svg.utf8), options: [])
        var marks: [Mark] = []
        func visit(_ element: XMLElement) {
            var attributes: [String: String] = [:]
            for attribute in element.attributes ?? [] {
                if let name = attribute.name { attributes[name] = attribute.stringValue ?? "" }
            }
            let children = element.children ?? []
            let title = children.first { $0.localName == "title" }?.stringValue
            let text = element.localName == "text" ? (element.stringValue ?? "") : ""
            marks.append(Mark(name: element.localName ?? element.name ?? "", attributes: attributes, title: title, text: text))
            for child in children { if let child = child as? XMLElement { visit(child) } }
        }
        if let root = document.rootElement() { visit(root) }
        self.marks = marks
    }

    /// The elements that carry `className`.
    public func marks(_ className: String) -> [Mark] { marks.filter { $0.classes.contains(className) } }

    /// The text of every `<text>` element.
    public var texts: [String] { marks.filter { $0.name == "text" }.map(\.text) }

    /// The candidate id a tooltip names as `(candidate N)`.
    public static func candidateID(in title: String?) -> Int64? {
        guard let title, let range = title.range(of: "(candidate ") else { return nil }
        return Int64(title[range.upperBound...].prefix { $0.isNumber })
    }
}
