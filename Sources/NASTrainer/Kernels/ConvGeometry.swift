import NASSpace

/// Sizes of one 2-D convolution with "same" padding on channels-last (NHWC) images.
///
/// Output side is `ceil(side / stride)`. Padding follows TensorFlow's "SAME" rule: the total
/// padding along an axis is `max((out − 1) · stride + kernel − side, 0)`, with the smaller half
/// before (top/left) and the rest after.
struct ConvGeometry: Sendable, Hashable {
    /// Input image of one sample.
    let input: ImageShape
    /// Output channels.
    let outputChannels: Int
    /// Odd square kernel side.
    let kernel: Int
    /// 1 or 2.
    let stride: Int

    init(input: ImageShape, outputChannels: Int, kernel: Int, stride: Int) {
        precondition(input.height > 0 && input.width > 0 && input.channels > 0, "conv input must be non-empty, got \(input)")
        precondition(outputChannels > 0, "conv needs at least one output channel")
        precondition(kernel > 0 && kernel % 2 == 1, "conv kernel must be odd and positive, got \(kernel)")
        precondition(stride == 1 || stride == 2, "conv stride must be 1 or 2, got \(stride)")
        self.input = input
        self.outputChannels = outputChannels
        self.kernel = kernel
        self.stride = stride
    }

    /// Output image of one sample.
    var output: ImageShape {
        input.downsampled(by: stride, channels: outputChannels)
    }

    /// Padding before the first row.
    var padTop: Int { max((output.height - 1) * stride + kernel - input.height, 0) / 2 }
    /// Padding before the first column.
    var padLeft: Int { max((output.width - 1) * stride + kernel - input.width, 0) / 2 }

    /// Length of one im2col row: `kernel² · input channels` (order: ky, kx, channel).
    var patchSize: Int { kernel * kernel * input.channels }

    /// Output positions per sample, `h' · w'`.
    var outputPositions: Int { output.height * output.width }
}
