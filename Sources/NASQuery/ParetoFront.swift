/// The non-dominated subset of a set of points, every coordinate to be minimized.
///
/// A point p is dominated when another point q is no worse in every coordinate and strictly
/// better in at least one (q ≤ p everywhere, q < p somewhere). The front is every point that is
/// not dominated; equal points do not dominate each other, so duplicates on the front are all
/// kept. Points with a NaN coordinate are left out. Results are in lexicographic order of the
/// coordinates, then by index, so they are deterministic.
///
/// Two objectives use sort and sweep (Kung, Luccio and Preparata, "On finding the maxima of a
/// set of vectors", J. ACM 22(4), 1975); more use sort-filter-skyline (Chomicki et al., "Skyline
/// with presorting", ICDE 2003): after a lexicographic sort, a point's dominators all come
/// before it, so each point is only compared with the front found so far.
package enum ParetoFront {
    /// Indices of the non-dominated points of `points` (each point an array of `dimensions`
    /// coordinates).
    ///
    /// - Complexity: O(n log n) for two dimensions; O(n log n + n·f·d) for d ≥ 3 with f the
    ///   size of the front.
    package static func indices(of points: [[Double]]) -> [Int] {
        guard let dimensions = points.first?.count else { return [] }
        precondition(points.allSatisfy { $0.count == dimensions }, "every point needs \(dimensions) coordinates")
        return indices(flat: points.flatMap { $0 }, dimensions: dimensions)
    }

    /// Indices of the non-dominated points of `flat`, which holds `dimensions` coordinates per
    /// point, point after point.
    package static func indices(flat: [Double], dimensions: Int) -> [Int] {
        precondition(dimensions >= 1 && flat.count % dimensions == 0, "coordinates must come in groups of \(dimensions)")
        let count = flat.count / dimensions
        if dimensions == 2 {
            var first = [Double](repeating: 0, count: count)
            var second = [Double](repeating: 0, count: count)
            for index in 0..<count {
                first[index] = flat[2 * index]
                second[index] = flat[2 * index + 1]
            }
            return twoDimensional(first, second)
        }
        return sortFilterSkyline(flat, dimensions: dimensions)
    }

    private struct Pair {
        var first: Double
        var second: Double
        var index: Int
    }

    /// The front of points (`first[i]`, `second[i]`): sort by first then second, then sweep
    /// keeping the lowest second value seen at a strictly lower first value.
    ///
    /// - Complexity: O(n log n).
    package static func twoDimensional(_ first: [Double], _ second: [Double]) -> [Int] {
        precondition(first.count == second.count, "both coordinates needed for every point")
        var pairs: [Pair] = []
        pairs.reserveCapacity(first.count)
        for index in first.indices where !first[index].isNaN && !second[index].isNaN {
            pairs.append(Pair(first: first[index], second: second[index], index: index))
        }
        pairs.sort { left, right in
            if left.first != right.first { return left.first < right.first }
            if left.second != right.second { return left.second < right.second }
            return left.index < right.index
        }
        var front: [Int] = []
        var bestBefore = Double.infinity  // lowest second value among strictly lower first values
        var hasBefore = false
        var start = 0
        while start < pairs.count {
            // A group of equal first values; its lowest second value comes first.
            var end = start + 1
            while end < pairs.count && pairs[end].first == pairs[start].first { end += 1 }
            let lowest = pairs[start].second
            if !hasBefore || lowest < bestBefore {
                var member = start
                while member < end && pairs[member].second == lowest {
                    front.append(pairs[member].index)
                    member += 1
                }
            }
            if !hasBefore || lowest < bestBefore { bestBefore = lowest }
            hasBefore = true
            start = end
        }
        return front
    }

    /// The front of points with any number of coordinates: lexicographic sort, then each point is
    /// compared with the front members found so far.
    static func sortFilterSkyline(_ flat: [Double], dimensions: Int) -> [Int] {
        let count = flat.count / dimensions
        var order = (0..<count).filter { index in
            !(0..<dimensions).contains { flat[index * dimensions + $0].isNaN }
        }
        order.sort { left, right in
            for dimension in 0..<dimensions {
                let a = flat[left * dimensions + dimension]
                let b = flat[right * dimensions + dimension]
                if a != b { return a < b }
            }
            return left < right
        }
        var front: [Int] = []
        for candidate in order {
            let isDominated = front.contains { member in
                dominates(flat, member, candidate, dimensions: dimensions)
            }
            if !isDominated { front.append(candidate) }
        }
        return front
    }

    /// True when point `q` dominates point `p` (no worse everywhere, better somewhere).
    static func dominates(_ flat: [Double], _ q: Int, _ p: Int, dimensions: Int) -> Bool {
        var strictly = false
        for dimension in 0..<dimensions {
            let a = flat[q * dimensions + dimension]
            let b = flat[p * dimensions + dimension]
            if a > b { return false }
            if a < b { strictly = true }
        }
        return strictly
    }
}
