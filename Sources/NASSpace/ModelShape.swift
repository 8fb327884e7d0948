/// The concrete network an architecture of an `mlp` or `cnn` space stands for.
///
/// Skipped layers (`units: 0`, `channels: 0`) are already removed: `layers` lists only the layers
/// the network really has, in order, followed implicitly by the classifier head (`head`, then a
/// dense layer to `classes`). A dense layer flattens whatever it receives (channels last).
///
/// The trainer builds its network from this value and the cost model counts from it, so the two
/// always agree.
package struct ModelShape: Sendable, Hashable {
    /// Input tensor shape, height × width × channels (an `mlp` input `[784]` is `1 × 1 × 784`).
    package var input: ImageShape
    /// Number of classes of the linear classifier head.
    package var classes: Int
    /// Hidden layers in order, skipped layers removed.
    package var layers: [ModelLayer]
    /// How the last feature map reaches the classifier.
    package var head: ModelHead

    /// Creates a model shape from its input, layers and head.
    package init(input: ImageShape, classes: Int, layers: [ModelLayer], head: ModelHead) {
        self.input = input
        self.classes = classes
        self.layers = layers
        self.head = head
    }
}

/// How features reach the linear classifier; a `cnn` spec chooses it with `head:`.
package enum ModelHead: String, Sendable, Hashable, Codable, CaseIterable {
    /// The head is dense on the flattened features (`mlp` always; a `cnn` on its last feature
    /// map, `height · width · channels` inputs).
    case flatten
    /// Global average pooling over height and width, then dense on the channels (`cnn` default).
    case globalAveragePool = "global_average_pool"
}

/// A height × width × channels tensor shape (channels last).
package struct ImageShape: Sendable, Hashable, Codable, CustomStringConvertible {
    /// Image height in pixels.
    package var height: Int
    /// Image width in pixels.
    package var width: Int
    /// Number of image channels.
    package var channels: Int

    /// Creates an image shape.
    package init(height: Int, width: Int, channels: Int) {
        self.height = height
        self.width = width
        self.channels = channels
    }

    /// Number of scalars: height · width · channels.
    package var count: Int { height * width * channels }

    /// The shape as `HxWxC`.
    package var description: String { "\(height)x\(width)x\(channels)" }

    /// The shape after a stride or non-overlapping windows of `factor` along height and width:
    /// each side becomes ceil(side / factor) (conv "same" padding; a pooling window cut by the
    /// border covers what remains). The cost model and the trainer both size layers with it.
    package func downsampled(by factor: Int, channels: Int? = nil) -> ImageShape {
        ImageShape(height: (height + factor - 1) / factor, width: (width + factor - 1) / factor, channels: channels ?? self.channels)
    }
}

/// One real layer of a `ModelShape`.
package enum ModelLayer: Sendable, Hashable {
    /// Fully connected layer with ReLU, on the flattened input.
    case dense(units: Int)
    /// 2-D convolution with ReLU: odd square `kernel`, `stride` 1 or 2, "same" padding
    /// (output side = ceil(input side / stride)).
    case conv(channels: Int, kernel: Int, stride: Int)
    /// Max pooling over non-overlapping `size × size` windows; a window cut by the border takes
    /// the maximum of what it covers (output side = ceil(input side / size), as conv strides do).
    case maxPool(size: Int)
    /// A MobileNetV2 inverted residual block on a `cin`-channel input: 1×1 expand conv to
    /// `hidden = cin · expansion` channels with ReLU6 (absent when `expansion` is 1), depthwise
    /// `kernel × kernel` conv with `stride` and ReLU6, 1×1 linear projection to `channels`, plus the
    /// input when `stride` is 1 and `cin == channels` (the residual connection). Every conv has a
    /// bias (there is no batch normalisation). "Same" padding as `conv`.
    case invertedResidual(channels: Int, kernel: Int, expansion: Int, stride: Int)
}

extension ModelLayer {
    /// Whether an inverted residual block adds its input to its output when it receives
    /// `inputChannels` channels: stride 1 and as many channels out as in.
    package static func hasResidual(stride: Int, inputChannels: Int, channels: Int) -> Bool {
        stride == 1 && inputChannels == channels
    }
}
