import NASSpace

/// A set of images with their class labels, pixels as `Float` in [0, 1].
///
/// Image `i` occupies `pixels[i · shape.count ..< (i + 1) · shape.count]`, row-major,
/// channels-last. Copying is cheap (copy-on-write arrays).
package struct LabeledImages: Sendable, Equatable {
    /// Shape of one image (28 × 28 × 1 for Fashion-MNIST).
    package let shape: ImageShape
    /// All pixels, image after image.
    package let pixels: [Float]
    /// Class of each image, in `0 ..< classes`.
    package let labels: [UInt8]

    /// Images from raw parts; `pixels.count` must be `labels.count · shape.count`.
    package init(shape: ImageShape, pixels: [Float], labels: [UInt8]) {
        precondition(pixels.count == labels.count * shape.count,
                     "\(pixels.count) pixels do not make \(labels.count) images of \(shape)")
        self.shape = shape
        self.pixels = pixels
        self.labels = labels
    }

    /// Number of images.
    package var count: Int { labels.count }

    /// Images `range` (indices into this set).
    package subscript(range: Range<Int>) -> LabeledImages {
        precondition(range.lowerBound >= 0 && range.upperBound <= count, "range \(range) outside \(count) images")
        return LabeledImages(
            shape: shape,
            pixels: Array(pixels[(range.lowerBound * shape.count)..<(range.upperBound * shape.count)]),
            labels: Array(labels[range])
        )
    }

    /// The first `n` images (all of them if `n ≥ count`).
    package func prefix(_ n: Int) -> LabeledImages {
        n >= count ? self : self[0..<max(n, 0)]
    }

    static let empty = LabeledImages(shape: ImageShape(height: 28, width: 28, channels: 1), pixels: [], labels: [])
}
