extension ModelShape {
    /// Multiply-accumulates of one forward pass on one input.
    ///
    /// Dense `in → out`: `in · out`. Conv with `k × k` kernel, `cin → cout`, output `h' × w'`:
    /// `h' · w' · k² · cin · cout`. An inverted residual block with `hidden = cin · e` channels:
    /// expand `h · w · cin · hidden` (none when e = 1), depthwise `h' · w' · k² · hidden`, project
    /// `h' · w' · hidden · cout`. The head adds `features · classes`. Biases, activations, residual
    /// adds and pooling (max or average) are not counted (the MobileNet convention).
    package var madds: Int { costs.madds }

    /// Trainable parameters: weights and biases of every dense and conv layer (an inverted residual
    /// block has up to three convs, each with a bias) and of the head.
    package var params: Int { costs.params }

    private var costs: (madds: Int, params: Int) {
        let pieces = costPieces
        return (pieces.reduce(0) { $0 + $1.madds }, pieces.reduce(0) { $0 + $1.params })
    }

    /// Every counted piece of the network in order, the classifier last; their sums are `madds`
    /// and `params` (what `space cost` lists).
    package var costPieces: [CostPiece] {
        var state = ChainState.image(input)
        var pieces: [CostPiece] = []
        for (index, layer) in layers.enumerated() {
            let step = ChainState.pieces(from: state, through: layer)
            pieces += step.pieces.map { piece in
                var numbered = piece
                numbered.layer = index + 1
                return numbered
            }
            state = step.next
        }
        let head = ChainState.headCosts(from: state, head: head, classes: classes)
        let features = head.madds / classes  // the head's MAdds are features · classes
        pieces.append(CostPiece(layer: nil, name: "classifier \(features)→\(classes)", output: "\(classes)", madds: head.madds, params: head.params))
        return pieces
    }
}

/// What flows between two layers of an `mlp`/`cnn` chain: the shape the next layer receives.
///
/// Whole-model costs are sums over transitions between these states, which is what lets the
/// cost bounds of `CostBounds` be exact even though per-layer costs are not additive.
enum ChainState: Hashable, Sendable {
    /// A flat feature vector of `width` values (after a dense layer).
    case flat(width: Int)
    /// A channels-last feature map.
    case image(ImageShape)

    /// Number of features a dense layer or the head receives (flattened).
    var flatWidth: Int {
        switch self {
        case .flat(let width): return width
        case .image(let shape): return shape.count
        }
    }

    /// Costs of one layer applied to `state`, and the state after it.
    static func transition(from state: ChainState, through layer: ModelLayer)
        -> (next: ChainState, madds: Int, params: Int)
    {
        let step = pieces(from: state, through: layer)
        return (step.next, step.pieces.reduce(0) { $0 + $1.madds }, step.pieces.reduce(0) { $0 + $1.params })
    }

    /// The counted pieces of one layer applied to `state` (an inverted residual block has up to
    /// three: expand, depthwise, project), and the state after it. Pooling has none.
    static func pieces(from state: ChainState, through layer: ModelLayer) -> (next: ChainState, pieces: [CostPiece]) {
        switch layer {
        case .dense(let units):
            let inputs = state.flatWidth
            return (.flat(width: units), [CostPiece(layer: nil, name: "dense \(inputs)→\(units)", output: "\(units)", madds: inputs * units, params: inputs * units + units)])
        case .conv(let channels, let kernel, let stride):
            guard case .image(let shape) = state else {
                preconditionFailure("a conv layer needs an image input")
            }
            let output = shape.downsampled(by: stride, channels: channels)
            let weights = kernel * kernel * shape.channels * channels
            let piece = CostPiece(layer: nil, name: "conv \(kernel)x\(kernel)/\(stride) \(shape.channels)→\(channels)", output: output.description,
                                  madds: output.height * output.width * weights, params: weights + channels)
            return (.image(output), [piece])
        case .maxPool(let size):
            guard case .image(let shape) = state else {
                preconditionFailure("max pooling needs an image input")
            }
            return (.image(shape.downsampled(by: size)), [])
        case .invertedResidual(let channels, let kernel, let expansion, let stride):
            guard case .image(let shape) = state else {
                preconditionFailure("an inverted residual block needs an image input")
            }
            let output = shape.downsampled(by: stride, channels: channels)
            let hidden = shape.channels * expansion
            let outputPositions = output.height * output.width
            var pieces: [CostPiece] = []
            if expansion > 1 {
                pieces.append(CostPiece(
                    layer: nil,
                    name: "expand 1x1 \(shape.channels)→\(hidden)", output: "\(shape.height)x\(shape.width)x\(hidden)",
                    madds: shape.height * shape.width * shape.channels * hidden, params: shape.channels * hidden + hidden))
            }
            pieces.append(CostPiece(
                layer: nil,
                name: "depthwise \(kernel)x\(kernel)/\(stride) \(hidden)", output: "\(output.height)x\(output.width)x\(hidden)",
                madds: outputPositions * kernel * kernel * hidden, params: kernel * kernel * hidden + hidden))
            let residual = ModelLayer.hasResidual(stride: stride, inputChannels: shape.channels, channels: channels)
            pieces.append(CostPiece(
                layer: nil,
                name: "project 1x1 \(hidden)→\(channels)" + (residual ? " + residual" : ""), output: output.description,
                madds: outputPositions * hidden * channels, params: hidden * channels + channels))
            return (.image(output), pieces)
        }
    }

    /// Costs of the classifier head. Global average pooling leaves the channel count; a
    /// flattening head sees every value.
    static func headCosts(from state: ChainState, head: ModelHead, classes: Int) -> (madds: Int, params: Int) {
        let features: Int
        switch (state, head) {
        case (.image(let shape), .globalAveragePool): features = shape.channels
        default: features = state.flatWidth
        }
        return (features * classes, features * classes + classes)
    }
}
