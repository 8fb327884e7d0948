import NASTestSupport
import Foundation
import NASSpace
import Testing
@testable import NASTrainer

@Suite struct FashionMNISTTests {
    @Test func splitsHaveTheDocumentedSizesLabelsAndPixelRange() throws {
        let data = try Fixtures.loadedDataset()
        #expect(data.training.count == 50_000)
        #expect(data.validation.count == 10_000)
        #expect(data.test == nil)
        #expect(data.training.shape == ImageShape(height: 28, width: 28, channels: 1))
        #expect(data.training.pixels.count == 50_000 * 784)
        #expect(data.validation.pixels.count == 10_000 * 784)
        for split in [data.training, data.validation] {
            #expect(split.labels.allSatisfy { $0 < 10 })
            #expect(Set(split.labels).count == 10)
            #expect(split.pixels.min() == 0)
            #expect(split.pixels.max() == 1)
        }
    }

    @Test func testSplitIsLoadedOnlyWhenAskedAndHasTenThousandImages() throws {
        let data = try FashionMNIST(includeTest: true)
        let test = try #require(data.test)
        #expect(test.count == 10_000)
        #expect(test.pixels.count == 10_000 * 784)
        #expect(test.labels.allSatisfy { $0 < 10 })
        // The validation split is the tail of the training file, distinct from the training split.
        #expect(data.validation.labels == (try Fixtures.loadedDataset()).validation.labels)
    }

    @Test func limitedKeepsTheFirstImagesOfEachSplit() throws {
        let data = try Fixtures.loadedDataset()
        let small = data.limited(training: 100, validation: 20)
        #expect(small.training.count == 100 && small.validation.count == 20)
        #expect(small.training.labels == Array(data.training.labels.prefix(100)))
        #expect(small.validation.pixels == Array(data.validation.pixels.prefix(20 * 784)))
    }

    @Test func missingFileThrowsOneLineNamingThePathAndThePackage() throws {
        let directory = try TemporaryDirectory().path("fmnist-missing")
        do {
            _ = try FashionMNIST(directory: directory)
            Issue.record("expected an error")
        } catch let error as TrainerError {
            #expect(error == .datasetMissing(path: "\(directory)/train-images-idx3-ubyte.gz"))
            #expect(error.description.contains("\(directory)/train-images-idx3-ubyte.gz"))
            #expect(error.description.contains("dataset-fashion-mnist"))
            #expect(!error.description.contains("\n"))
        }
    }

    @Test func wrongMagicNumberOrTruncatedFileIsReportedAsCorrupt() throws {
        let temporary = try TemporaryDirectory()
        let directory = temporary.url
        let images = directory.appendingPathComponent("train-images-idx3-ubyte.gz")
        // zlib reads non-gzip files transparently, so raw bytes stand in for a decompressed file.
        try Data([0, 0, 8, 1, 0, 0, 0, 1, 0, 0, 0, 28, 0, 0, 0, 28] + [UInt8](repeating: 0, count: 784)).write(to: images)
        #expect {
            try FashionMNIST(directory: directory.path)
        } throws: { error in
            guard let error = error as? TrainerError, case .datasetCorrupt(let path, let reason) = error else { return false }
            return path == images.path && reason.contains("magic number 2049") && error.description.contains("dataset-fashion-mnist")
        }
        try Data([0, 0, 8, 3, 0, 0, 0, 2, 0, 0, 0, 28, 0, 0, 0, 28] + [UInt8](repeating: 0, count: 784)).write(to: images)
        #expect {
            try FashionMNIST(directory: directory.path)
        } throws: { error in
            guard let error = error as? TrainerError, case .datasetCorrupt(_, let reason) = error else { return false }
            return reason.contains("2 images")
        }
    }
}
