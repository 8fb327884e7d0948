import Foundation
// TEMPORARY A/B switch for measurements; removed before the branch is finished.
enum Experiment {
    static let legacy = ProcessInfo.processInfo.environment["LAYERNAS_LEGACY"] == "1"
}

extension NetworkOperation.Conv {
    func legacyForward(_ x: Matrix, parameters: [Matrix], columns: inout Matrix, into y: inout Matrix, parallelism: Int = 1) {
        let n = x.rows
        Kernel.im2col(x, geometry: geometry, into: &columns, parallelism: parallelism)
        y.resize(rows: n * geometry.outputPositions, cols: geometry.outputChannels)
        Kernel.broadcastRows(parameters[bias], into: &y, parallelism: parallelism)
        Matrix.gemm(columns, parameters[weights], into: &y, beta: 1)
        if relu { Kernel.reluInPlace(&y, parallelism: parallelism) }
        y.reshape(rows: n, cols: geometry.output.count)
    }

    func legacyBackward(
        output y: Matrix, outputGradient dy: inout Matrix, parameters: [Matrix], columns: inout Matrix,
        gradients: inout [Matrix], inputGradient dx: inout Matrix, computeInputGradient: Bool, parallelism: Int = 1
    ) {
        let n = dy.rows
        if relu { Kernel.reluBackwardInPlace(output: y, gradient: &dy, parallelism: parallelism) }
        dy.reshape(rows: n * geometry.outputPositions, cols: geometry.outputChannels)
        defer { dy.reshape(rows: n, cols: geometry.output.count) }
        Matrix.gemm(columns, dy, into: &gradients[weights], transposeA: .transposed)
        Kernel.columnSums(dy, into: &gradients[bias])
        if computeInputGradient {
            Matrix.gemm(dy, parameters[weights], into: &columns, transposeB: .transposed)
            Kernel.col2im(columns, geometry: geometry, samples: n, into: &dx, parallelism: parallelism)
        }
    }
}
