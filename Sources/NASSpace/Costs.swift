/// Every cost metric of one architecture that its family can compute.
package struct Costs: Sendable, Hashable, Codable {
    /// Sum of option costs (`custom` spaces only).
    package var cost: Double?
    /// Multiply-accumulates (`mlp`, `cnn`).
    package var madds: Int?
    /// Parameters (`mlp`, `cnn`).
    package var params: Int?

    /// Creates costs from whichever measures are known.
    package init(cost: Double? = nil, madds: Int? = nil, params: Int? = nil) {
        self.cost = cost
        self.madds = madds
        self.params = params
    }

    /// The value of `metric`, or `nil` when this family does not compute it.
    package func value(of metric: CostMetric) -> Double? {
        switch metric {
        case .cost: return cost
        case .madds: return madds.map(Double.init)
        case .params: return params.map(Double.init)
        }
    }

    /// Metric name → value, for reports and JSON.
    package var byMetric: [(metric: CostMetric, value: Double)] {
        CostMetric.allCases.compactMap { metric in value(of: metric).map { (metric, $0) } }
    }
}

extension SearchSpace {
    /// All cost metrics of an architecture, computed on the whole model.
    package func costs(of architecture: Architecture) -> Costs {
        checkMembership(architecture)
        if let shape = modelShape(for: architecture) {
            return Costs(madds: shape.madds, params: shape.params)
        }
        let total = zip(layers, architecture.optionIndices).reduce(0.0) { sum, pair in
            guard case .custom(let cost) = pair.0.options[pair.1].kind else { return sum }
            return sum + cost
        }
        return Costs(cost: total)
    }

    /// The target metric's value for an architecture.
    package func targetCost(of architecture: Architecture) -> Double {
        guard let value = costs(of: architecture).value(of: target.metric) else {
            preconditionFailure("validated spaces only target metrics their family computes")
        }
        return value
    }
}
