import Foundation

/// The marker of a search in an overlay (circle, square, triangle, diamond, ...), so searches
/// stay apart where colours are hard to tell or marks overlap.
enum MarkerShape: CaseIterable {
    case circle, square, triangle, diamond, triangleDown, cross

    /// The shape of the `index`-th search, repeating after the last.
    static func forSearch(_ index: Int) -> MarkerShape { allCases[index % allCases.count] }

    /// An element drawing the shape centred at (`x`, `y`) with "radius" `r`; `attributes` (class,
    /// fill, stroke) are added as given and `content` (a `<title>`) goes inside.
    func element(x: Double, y: Double, r: Double, attributes: String, content: String = "") -> String {
        let f = SVGMarkup.f
        let open: String
        switch self {
        case .circle:
            open = "<circle cx=\"\(f(x))\" cy=\"\(f(y))\" r=\"\(f(r))\""
        case .square:
            let side = r * 1.8
            open = "<rect x=\"\(f(x - side / 2))\" y=\"\(f(y - side / 2))\" width=\"\(f(side))\" height=\"\(f(side))\""
        case .triangle:
            open = "<path d=\"M\(f(x)) \(f(y - r * 1.2)) L\(f(x + r * 1.1)) \(f(y + r * 0.8)) L\(f(x - r * 1.1)) \(f(y + r * 0.8)) Z\""
        case .triangleDown:
            open = "<path d=\"M\(f(x)) \(f(y + r * 1.2)) L\(f(x + r * 1.1)) \(f(y - r * 0.8)) L\(f(x - r * 1.1)) \(f(y - r * 0.8)) Z\""
        case .diamond:
            open = "<path d=\"M\(f(x)) \(f(y - r * 1.3)) L\(f(x + r * 1.1)) \(f(y)) L\(f(x)) \(f(y + r * 1.3)) L\(f(x - r * 1.1)) \(f(y)) Z\""
        case .cross:
            let a = r * 0.45, b = r * 1.2
            open = "<path d=\"M\(f(x - a)) \(f(y - b)) H\(f(x + a)) V\(f(y - a)) H\(f(x + b)) V\(f(y + a)) H\(f(x + a)) V\(f(y + b)) H\(f(x - a)) V\(f(y + a)) H\(f(x - b)) V\(f(y - a)) H\(f(x - a)) Z\""
        }
        return content.isEmpty ? "\(open) \(attributes)/>" : "\(open) \(attributes)>\(content)</\(tag)>"
    }

    /// The SVG element name the shape is drawn with.
    private var tag: String {
        switch self {
        case .circle: return "circle"
        case .square: return "rect"
        default: return "path"
        }
    }
}

extension MarkerShape {
    /// A five-pointed star centred at (`x`, `y`) with outer radius `r`: the mark of an answer,
    /// a shape no search uses for its dots.
    static func star(x: Double, y: Double, r: Double, attributes: String, content: String = "") -> String {
        let f = SVGMarkup.f
        var path = ""
        for corner in 0..<10 {
            let radius = corner.isMultiple(of: 2) ? r : r * 0.45
            let angle = Double(corner) * Double.pi / 5 - Double.pi / 2
            path += (corner == 0 ? "M" : " L") + "\(f(x + radius * cos(angle))) \(f(y + radius * sin(angle)))"
        }
        let open = "<path d=\"\(path) Z\" \(attributes)"
        return content.isEmpty ? open + "/>" : open + ">\(content)</path>"
    }
}
