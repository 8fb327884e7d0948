import NASSpace
@testable import NASTrainer

/// Shared fixtures: the real dataset is loaded once per test process.
enum Fixtures {
    /// Fashion-MNIST training + validation splits (test split not loaded).
    static let dataset: Result<FashionMNIST, any Error> = Result { try FashionMNIST() }

    static func loadedDataset() throws -> FashionMNIST { try dataset.get() }
}

/// A seeded source of random test data.
struct TestRandom {
    var generator: SplitMix64

    init(seed: UInt64) { generator = SplitMix64(seed: seed) }

    mutating func int(_ range: ClosedRange<Int>) -> Int { Int.random(in: range, using: &generator) }

    mutating func matrix(rows: Int, cols: Int, scale: Float = 1) -> Matrix {
        Matrix(rows: rows, cols: cols, storage: (0..<(rows * cols)).map { _ in (generator.nextUniform() * 2 - 1) * scale })
    }

    mutating func labels(_ count: Int, classes: Int) -> [UInt8] {
        (0..<count).map { _ in UInt8(Int.random(in: 0..<classes, using: &generator)) }
    }
}

/// `op(a) · op(b)` with Double accumulation.
func naiveProduct(_ a: Matrix, _ ta: Transposition, _ b: Matrix, _ tb: Transposition) -> [Double] {
    let m = a.rows(ta), k = a.cols(ta), n = b.cols(tb)
    func at(_ x: Matrix, _ t: Transposition, _ r: Int, _ c: Int) -> Double {
        Double(t == .none ? x[r, c] : x[c, r])
    }
    var out = [Double](repeating: 0, count: m * n)
    for i in 0..<m {
        for j in 0..<n {
            var sum = 0.0
            for p in 0..<k { sum += at(a, ta, i, p) * at(b, tb, p, j) }
            out[i * n + j] = sum
        }
    }
    return out
}

/// Whether every element of `actual` is within `relative · (|expected| + scale)` of `expected`,
/// where `scale` is the largest magnitude in `expected` (so tiny entries are compared against the
/// overall size, as Float rounding errors scale with it).
func isClose(_ actual: Matrix, _ expected: [Double], relative: Double = 1e-5) -> Bool {
    guard actual.count == expected.count else { return false }
    let scale = expected.map(abs).max() ?? 0
    for i in 0..<expected.count where abs(Double(actual[flat: i]) - expected[i]) > relative * (abs(expected[i]) + scale) + 1e-30 {
        return false
    }
    return true
}

/// ‖a − b‖ / (‖a‖ + ‖b‖), the relative error of two gradient vectors.
func relativeError(_ a: [Double], _ b: [Double]) -> Double {
    precondition(a.count == b.count)
    var diff = 0.0, na = 0.0, nb = 0.0
    for i in a.indices {
        diff += (a[i] - b[i]) * (a[i] - b[i])
        na += a[i] * a[i]
        nb += b[i] * b[i]
    }
    let denominator = na.squareRoot() + nb.squareRoot()
    return denominator == 0 ? 0 : diff.squareRoot() / denominator
}
