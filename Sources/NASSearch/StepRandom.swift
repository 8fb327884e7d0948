import NASSpace

/// The random stream of one step, derived from the search seed and the step number.
///
/// Nothing about the generator's position needs storing: a resumed search recomputes the same
/// stream for the same step, so it makes the same draws an uninterrupted run makes.
struct StepRandom: RandomNumberGenerator {
    private var generator: SplitMix64

    init(seed: UInt64, step: Int) {
        var mixer = SplitMix64(seed: seed ^ 0x4C61_7965_724E_4153)
        var mixed = mixer.next()
        for _ in 0..<2 {
            var stepMixer = SplitMix64(seed: mixed ^ UInt64(step))
            mixed = stepMixer.next()
        }
        generator = SplitMix64(seed: mixed)
    }

    mutating func next() -> UInt64 { generator.next() }

    /// A uniform integer in `0..<bound` (Lemire's unbiased method via the standard library).
    mutating func below(_ bound: Int) -> Int {
        precondition(bound > 0)
        return Int.random(in: 0..<bound, using: &self)
    }

    /// `count` distinct elements of `items` in the order drawn (partial Fisher–Yates).
    mutating func draw<T>(_ count: Int, from items: [T]) -> [T] {
        var pool = items
        let taken = min(count, pool.count)
        for index in 0..<taken {
            pool.swapAt(index, index + below(pool.count - index))
        }
        return Array(pool.prefix(taken))
    }

    /// `items` in a uniformly random order.
    mutating func shuffled<T>(_ items: [T]) -> [T] { draw(items.count, from: items) }
}
