import NASSpace

/// Floating-point work of training, to turn samples/s into achieved GFLOP/s.
package enum TrainingCost {
    /// Operations to train on one sample: forward plus backward ≈ 3 × forward, and a
    /// multiply-accumulate is 2 operations, so `6 · madds`.
    package static func flopsPerSample(_ shape: ModelShape) -> Double { 6 * Double(shape.madds) }

    /// Achieved GFLOP/s when training `shape` at `samplesPerSecond`.
    package static func gflops(shape: ModelShape, samplesPerSecond: Double) -> Double {
        flopsPerSample(shape) * samplesPerSecond / 1e9
    }
}
