import Foundation
import NASTrainer

/// Where Fashion-MNIST is read from: `$LAYERNAS_FASHION_MNIST` when set (a folder holding the
/// four `*-idx?-ubyte.gz` files), else the Debian package's folder.
enum DatasetLocation {
    static let environmentVariable = "LAYERNAS_FASHION_MNIST"

    static var directory: String {
        ProcessInfo.processInfo.environment[environmentVariable] ?? FashionMNIST.defaultDirectory
    }

    /// Loads the data set; a missing or damaged file is a runtime failure (exit 1) naming the
    /// path and the package to install.
    static func load(includeTest: Bool = false) throws -> FashionMNIST {
        do {
            return try FashionMNIST(directory: directory, includeTest: includeTest)
        } catch {
            throw CommandFailure(status: .failure, description: String(describing: error))
        }
    }
}
