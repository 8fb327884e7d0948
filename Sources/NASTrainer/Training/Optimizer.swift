import Foundation
import NASSpace

/// The optimizer state of one training run (momentum buffers or Adam moments).
struct Optimizer {
    let recipe: TrainingRecipe
    private(set) var firstMoments: [Matrix]
    private(set) var secondMoments: [Matrix]
    /// Updates applied so far (Adam's bias correction counts them).
    private(set) var step = 0

    init(recipe: TrainingRecipe, parameters: [Matrix]) {
        self.recipe = recipe
        firstMoments = parameters.map { Matrix(rows: $0.rows, cols: $0.cols) }
        secondMoments = recipe.optimizer == .adam ? firstMoments : []
    }

    /// The state a checkpoint saved (docs/ARCHITECTURE.md#checkpoints), so that a resumed run
    /// continues exactly where the saved one was.
    init(recipe: TrainingRecipe, firstMoments: [Matrix], secondMoments: [Matrix], step: Int) {
        self.recipe = recipe
        self.firstMoments = firstMoments
        self.secondMoments = secondMoments
        self.step = step
    }

    /// Applies one update to `parameters` from `gradients` at `learningRate`. Weight decay applies
    /// only where `decays` is true (weights, not biases).
    /// The elements are split over `parallelism` threads (the result does not depend on it).
    mutating func update(parameters: inout [Matrix], gradients: [Matrix], decays: [Bool], learningRate: Double, parallelism: Int = 1) {
        precondition(parameters.count == gradients.count && parameters.count == decays.count && parameters.count == firstMoments.count,
                     "optimizer state does not match the parameters")
        step += 1
        let rate = Float(learningRate)
        for i in parameters.indices {
            let decay = decays[i] ? Float(recipe.weightDecay) : 0
            switch recipe.optimizer {
            case .sgd:
                Kernel.sgdStep(weights: &parameters[i], gradient: gradients[i], velocity: &firstMoments[i],
                               learningRate: rate, momentum: Float(recipe.momentum), weightDecay: decay, parallelism: parallelism)
            case .adam:
                Kernel.adamStep(weights: &parameters[i], gradient: gradients[i], firstMoment: &firstMoments[i],
                                secondMoment: &secondMoments[i], learningRate: rate, weightDecay: decay, step: step,
                                parallelism: parallelism)
            }
        }
    }
}

extension TrainingRecipe.Schedule {
    /// Learning rate at `step` (0-based) of `totalSteps`, starting from `base`.
    ///
    /// - constant: `base`;
    /// - cosine: `base · ½ (1 + cos(π · step / totalSteps))` (Loshchilov & Hutter, SGDR, 2017,
    ///   without restarts);
    /// - step: `base`, then `0.1 · base` from 50% of the steps and `0.01 · base` from 75%.
    func learningRate(base: Double, step: Int, totalSteps: Int) -> Double {
        precondition(totalSteps > 0 && step >= 0, "schedule needs step ≥ 0 and totalSteps > 0")
        switch self {
        case .constant:
            return base
        case .cosine:
            let progress = Double(min(step, totalSteps)) / Double(totalSteps)
            return base * 0.5 * (1 + Foundation.cos(Double.pi * progress))
        case .step:
            if 4 * step >= 3 * totalSteps { return base * 0.01 }
            if 2 * step >= totalSteps { return base * 0.1 }
            return base
        }
    }
}
