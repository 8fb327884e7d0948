import Foundation
import NASSpace
import Testing
@testable import NASQuery

/// The fronts equal a brute-force O(n²) reference: ties, duplicates, NaN, 2 to 4 objectives.
@Suite struct ParetoFrontTests {
    /// Every point no other point dominates, NaN points left out, in index order.
    static func bruteForce(_ points: [[Double]]) -> [Int] {
        points.indices.filter { p in
            guard !points[p].contains(where: \.isNaN) else { return false }
            return !points.indices.contains { q in
                q != p && !points[q].contains(where: \.isNaN)
                    && zip(points[q], points[p]).allSatisfy { $0 <= $1 }
                    && zip(points[q], points[p]).contains { $0 < $1 }
            }
        }
    }

    /// Random points on a coarse grid (many ties and exact duplicates), some NaN coordinates.
    static func randomPoints(count: Int, dimensions: Int, levels: UInt64, nanRate: UInt64, generator: inout SplitMix64) -> [[Double]] {
        (0..<count).map { _ in
            (0..<dimensions).map { _ in
                if nanRate > 0 && generator.next() % nanRate == 0 { return .nan }
                return Double(generator.next() % levels) / 4
            }
        }
    }

    @Test(arguments: [2, 3, 4])
    func frontEqualsBruteForceOnRandomPointSets(dimensions: Int) {
        var generator = SplitMix64(seed: UInt64(100 + dimensions))
        for trial in 0..<150 {
            let count = Int(generator.next() % 120)
            let levels = 2 + generator.next() % (trial % 3 == 0 ? 4 : 40)
            let points = Self.randomPoints(count: count, dimensions: dimensions, levels: levels, nanRate: 9, generator: &generator)
            let front = ParetoFront.indices(of: points)
            #expect(front.sorted() == Self.bruteForce(points), "trial \(trial): \(points)")
            #expect(Set(front).count == front.count)
        }
    }

    @Test func twoDimensionalSweepAgreesWithTheGeneralSkyline() {
        var generator = SplitMix64(seed: 7)
        for _ in 0..<100 {
            let points = Self.randomPoints(count: 300, dimensions: 2, levels: 30, nanRate: 20, generator: &generator)
            let flat = points.flatMap { $0 }
            #expect(ParetoFront.indices(flat: flat, dimensions: 2) == ParetoFront.sortFilterSkyline(flat, dimensions: 2))
        }
    }

    @Test func duplicatesAreAllKeptInIndexOrderAndTiesAreDeterministic() {
        let points: [[Double]] = [[1, 5], [2, 2], [1, 5], [2, 2], [3, 1], [2, 3], [1, 6]]
        // [1,5] twice, [2,2] twice, [3,1]; [2,3] and [1,6] are dominated.
        #expect(ParetoFront.indices(of: points) == [0, 2, 1, 3, 4])
        #expect(ParetoFront.indices(of: points.reversed()) == [4, 6, 3, 5, 2])
    }

    @Test func nanAndEmptyInputs() {
        #expect(ParetoFront.indices(of: []) == [])
        #expect(ParetoFront.indices(of: [[.nan, 1], [1, .nan]]) == [])
        #expect(ParetoFront.indices(of: [[.nan, 0], [5, 5]]) == [1])
        #expect(ParetoFront.indices(of: [[-.infinity, 3], [0, 0]]) == [0, 1])
    }

    @Test func objectivesParseAndRefuseBadLists() throws {
        #expect(try Objective.parseList("score:max,madds:min") == [Objective(.score, .max), Objective(.madds, .min)])
        #expect(try Objective.parseList("score, params, madds:max") == [Objective(.score, .max), Objective(.params, .min), Objective(.madds, .max)])
        for bad in ["score:max", "score:max,score:min", "accuracy:max,cost:min", "score:up,cost:min", "score:max,,cost"] {
            #expect(throws: QueryError.self, "\(bad)") { try Objective.parseList(bad) }
        }
    }
}
