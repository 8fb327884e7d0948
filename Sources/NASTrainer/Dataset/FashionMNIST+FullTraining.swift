extension FashionMNIST {
    /// The data set with its validation images moved back into training: all 60,000 images of
    /// `train-*` train, no validation. A final retraining uses this unless asked to keep the
    /// validation split (`layernas retrain --validation`); the test split is unchanged.
    package func trainingOnAllImages() -> FashionMNIST {
        let merged = LabeledImages(shape: training.shape, pixels: training.pixels + validation.pixels,
                                   labels: training.labels + validation.labels)
        return FashionMNIST(training: merged, validation: LabeledImages(shape: training.shape, pixels: [], labels: []), test: test)
    }
}
