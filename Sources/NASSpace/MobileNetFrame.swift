/// The fixed parts of a `mobilenet` network around its searched blocks: the stem convolution
/// before them and the optional 1×1 head convolution after them (docs/ARCHITECTURE.md#mobilenet-family).
///
/// The network is `stem → block_1 … block_L → head conv (if headChannels > 0) → global average
/// pooling → linear classifier`. The stem and the head conv are plain convolutions with ReLU (the
/// `cnn` family's conv layer); the blocks are inverted residual blocks (`ModelLayer.invertedResidual`).
package struct MobileNetFrame: Sendable, Hashable, Codable {
    /// Output channels of the stem convolution.
    package var stemChannels: Int
    /// Odd square kernel side of the stem convolution.
    package var stemKernel: Int
    /// Stride of the stem convolution, 1 or 2.
    package var stemStride: Int
    /// Output channels of the 1×1 head convolution; 0: no head convolution.
    package var headChannels: Int

    /// The frame a spec gets when it names no `stem:` or `head_channels:`: conv 3×3 stride 2 to 16
    /// channels (MobileNetV2's stem has 32; 16 suits 28×28 inputs), no head conv.
    package static let standard = MobileNetFrame(stemChannels: 16, stemKernel: 3, stemStride: 2, headChannels: 0)

    /// Creates a frame.
    package init(stemChannels: Int, stemKernel: Int, stemStride: Int, headChannels: Int) {
        self.stemChannels = stemChannels
        self.stemKernel = stemKernel
        self.stemStride = stemStride
        self.headChannels = headChannels
    }

    /// The stem as a model layer.
    package var stem: ModelLayer { .conv(channels: stemChannels, kernel: stemKernel, stride: stemStride) }

    /// The head convolution as a model layer, if there is one.
    package var headConv: ModelLayer? { headChannels > 0 ? .conv(channels: headChannels, kernel: 1, stride: 1) : nil }

    /// A readable description, e.g. `stem conv 3x3/2 to 16 channels, no head conv`.
    package var description: String {
        "stem conv \(stemKernel)x\(stemKernel)/\(stemStride) to \(stemChannels) channels, "
            + (headChannels > 0 ? "1x1 head conv to \(headChannels) channels" : "no head conv")
    }
}
