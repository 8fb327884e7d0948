import NASSpace

/// Names the first difference between two spaces, for refusing a resume with another spec.
enum SpaceDifference {
    static func first(stored: SearchSpace, given: SearchSpace) -> String? {
        if stored == given { return nil }
        if stored.name != given.name { return "name: stored '\(stored.name)', given '\(given.name)'" }
        if stored.family != given.family { return "family: stored \(stored.family.rawValue), given \(given.family.rawValue)" }
        if stored.input != given.input {
            return "input: stored \(stored.input.map(\.description) ?? "none"), given \(given.input.map(\.description) ?? "none")"
        }
        if stored.classes != given.classes { return "classes: stored \(stored.classes ?? 0), given \(given.classes ?? 0)" }
        if stored.head != given.head {
            return "head: stored \(stored.head?.rawValue ?? "none"), given \(given.head?.rawValue ?? "none")"
        }
        if stored.frame != given.frame {
            return "stem/head_channels: stored \(stored.frame?.description ?? "none"), given \(given.frame?.description ?? "none")"
        }
        if stored.layers.count != given.layers.count {
            return "layers: stored \(stored.layers.count), given \(given.layers.count)"
        }
        for (index, (old, new)) in zip(stored.layers, given.layers).enumerated() {
            if old.name != new.name { return "layers[\(index)].name: stored '\(old.name)', given '\(new.name)'" }
            if old.options.count != new.options.count {
                return "layers[\(index)].options: stored \(old.options.count) options, given \(new.options.count)"
            }
            for (optionIndex, (a, b)) in zip(old.options, new.options).enumerated() where a != b {
                return "layers[\(index)].options[\(optionIndex)]: stored \(a.label) (\(a.fieldsDescription)), given \(b.label) (\(b.fieldsDescription))"
            }
        }
        if stored.evaluator != given.evaluator {
            return "evaluator: stored \(stored.evaluator ?? "none"), given \(given.evaluator ?? "none")"
        }
        if stored.target != given.target {
            let describe = { (t: CostTarget) in "\(t.metric) [\(CostFormat.string(t.min)), \(CostFormat.string(t.max))]" }
            return "target: stored \(describe(stored.target)), given \(describe(given.target))"
        }
        if stored.training != given.training {
            let old = stored.training
            let new = given.training
            let fields: [(String, String, String)] = [
                ("epochs", "\(old.epochs)", "\(new.epochs)"),
                ("train_subset", old.trainSubset.map(String.init) ?? "all", new.trainSubset.map(String.init) ?? "all"),
                ("batch_size", "\(old.batchSize)", "\(new.batchSize)"),
                ("optimizer", old.optimizer.rawValue, new.optimizer.rawValue),
                ("learning_rate", "\(old.learningRate)", "\(new.learningRate)"),
                ("momentum", "\(old.momentum)", "\(new.momentum)"),
                ("weight_decay", "\(old.weightDecay)", "\(new.weightDecay)"),
                ("schedule", old.schedule.rawValue, new.schedule.rawValue),
                ("seed", "\(old.seed)", "\(new.seed)"),
            ]
            if let field = fields.first(where: { $0.1 != $0.2 }) {
                return "training.\(field.0): stored \(field.1), given \(field.2)"
            }
            return "training: the recipe differs"
        }
        return "the spaces differ"
    }
}
