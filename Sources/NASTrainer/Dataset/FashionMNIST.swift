import NASSpace

/// Fashion-MNIST (Xiao, Rasul & Vollgraf, 2017): 28 × 28 grey images of clothing in 10 classes,
/// read from the IDX files of the Debian package `dataset-fashion-mnist`.
///
/// Splits (fixed, so scores are comparable across runs):
/// - `training`: the first 50,000 images of `train-*`, used to fit weights;
/// - `validation`: the last 10,000 images of `train-*`, which give every search score;
/// - `test`: the 10,000 images of `t10k-*`, loaded only when asked for and used only to report
///   the final accuracy of chosen models.
///
/// Load once per process and share the value (it is `Sendable`; about 190 MB of floats).
///
/// ```swift
/// let data = try FashionMNIST()                    // training + validation
/// let withTest = try FashionMNIST(includeTest: true)
/// ```
package struct FashionMNIST: Sendable {
    /// Where the Debian package installs the files.
    package static let defaultDirectory = "/usr/share/datasets/fashion-mnist"
    /// Number of classes.
    package static let classes = 10
    /// Shape of one image.
    package static let imageShape = ImageShape(height: 28, width: 28, channels: 1)
    /// Images of `train-*` kept for validation (taken from its end).
    package static let validationCount = 10_000

    /// Weights are fitted on these (50,000 images).
    package private(set) var training: LabeledImages
    /// Search scores are measured on these (10,000 images).
    package private(set) var validation: LabeledImages
    /// The official test set (10,000 images), or `nil` when not loaded.
    package private(set) var test: LabeledImages?

    /// Loads the IDX files `train-images-idx3-ubyte.gz` and `train-labels-idx1-ubyte.gz` (and the
    /// `t10k-*` pair when `includeTest`) from `directory`.
    ///
    /// - Throws: `TrainerError.datasetMissing` or `.datasetCorrupt`, naming the file.
    package init(directory: String = FashionMNIST.defaultDirectory, includeTest: Bool = false) throws {
        let all = try Self.load(directory: directory, prefix: "train")
        let split = all.count - Self.validationCount
        guard split > 0 else {
            throw TrainerError.datasetCorrupt(path: "\(directory)/train-images-idx3-ubyte.gz",
                                              reason: "only \(all.count) images, need more than \(Self.validationCount)")
        }
        training = all[0..<split]
        validation = all[split..<all.count]
        test = includeTest ? try Self.load(directory: directory, prefix: "t10k") : nil
    }

    /// A dataset from explicit splits (for tests and experiments).
    package init(training: LabeledImages, validation: LabeledImages, test: LabeledImages? = nil) {
        self.training = training
        self.validation = validation
        self.test = test
    }

    /// The same dataset with at most `training` training and `validation` validation images
    /// (the first ones of each split); `nil` keeps a split whole. Useful for quick checks.
    package func limited(training: Int? = nil, validation: Int? = nil, test: Int? = nil) -> FashionMNIST {
        var copy = self
        if let training { copy.training = self.training.prefix(training) }
        if let validation { copy.validation = self.validation.prefix(validation) }
        if let test, let set = self.test { copy.test = set.prefix(test) }
        return copy
    }

    private static func load(directory: String, prefix: String) throws -> LabeledImages {
        let imagesPath = "\(directory)/\(prefix)-images-idx3-ubyte.gz"
        let labelsPath = "\(directory)/\(prefix)-labels-idx1-ubyte.gz"
        let images = try IDXFile.readImages(path: imagesPath)
        let labels = try IDXFile.readLabels(path: labelsPath, classes: classes)
        guard images.count == labels.count else {
            throw TrainerError.datasetCorrupt(path: labelsPath, reason: "\(labels.count) labels for \(images.count) images in \(imagesPath)")
        }
        guard images.shape == imageShape else {
            throw TrainerError.datasetCorrupt(path: imagesPath, reason: "images are \(images.shape.height)×\(images.shape.width), expected 28×28")
        }
        return LabeledImages(shape: images.shape, pixels: images.pixels, labels: labels)
    }
}
