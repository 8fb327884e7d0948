// swift-tools-version:6.0
import PackageDescription

// MARK: - External products

let argumentParser: Target.Dependency = .product(name: "ArgumentParser", package: "swift-argument-parser")
let grdb: Target.Dependency = .product(name: "GRDB", package: "GRDB.swift")
let grdbSQLite: Target.Dependency = .product(name: "GRDBSQLite", package: "GRDB.swift")
let yams: Target.Dependency = .product(name: "Yams", package: "Yams")
let hummingbird: Target.Dependency = .product(name: "Hummingbird", package: "hummingbird")

let package = Package(
    name: "layernas",
    products: [
        .executable(name: "layernas", targets: ["layernas"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.8.2"),
        .package(url: "https://github.com/groue/GRDB.swift", from: "7.10.0"),
        .package(url: "https://github.com/jpsim/Yams", from: "6.2.2"),
        .package(url: "https://github.com/hummingbird-project/hummingbird", from: "2.28.1"),
    ],
    targets: [
        // MARK: - C shims

        .systemLibrary(
            name: "COpenBLAS",
            pkgConfig: "openblas",
            providers: [.apt(["libopenblas-dev"])]
        ),
        .systemLibrary(
            name: "CZlib",
            pkgConfig: "zlib",
            providers: [.apt(["zlib1g-dev"])]
        ),

        // MARK: - Modules, bottom up

        .target(name: "NASSpace", dependencies: [yams]),
        .target(name: "NASStore", dependencies: ["NASSpace", grdb]),
        .target(name: "NASProcess"),
        .target(name: "NASSearch", dependencies: ["NASSpace", "NASStore", "NASProcess"]),
        .target(name: "NASTrainer", dependencies: ["NASSpace", "COpenBLAS", "CZlib"]),
        .target(name: "NASExport", dependencies: ["NASSpace", "NASTrainer"]),
        .target(name: "NASQuery", dependencies: ["NASSpace", "NASStore", grdb, grdbSQLite]),
        .target(name: "NASServe", dependencies: ["NASSpace", "NASStore", "NASSearch", "NASQuery", grdb, hummingbird]),
        .target(
            name: "NASCommands",
            dependencies: ["NASSpace", "NASStore", "NASProcess", "NASSearch", "NASTrainer", "NASExport", "NASQuery", "NASServe", argumentParser]
        ),
        .executableTarget(name: "layernas", dependencies: ["NASCommands"]),

        // MARK: - Tests

        .target(name: "NASTestSupport", dependencies: ["NASCommands", argumentParser], path: "Tests/NASTestSupport"),

        .testTarget(name: "NASSpaceTests", dependencies: ["NASTestSupport", "NASSpace"], exclude: ["Fixtures"]),
        .testTarget(name: "NASStoreTests", dependencies: ["NASTestSupport", "NASStore", "NASSpace", grdb]),
        .testTarget(name: "NASProcessTests", dependencies: ["NASTestSupport", "NASProcess"]),
        .testTarget(name: "NASSearchTests", dependencies: ["NASTestSupport", "NASSearch", "NASStore", "NASSpace", grdb]),
        .testTarget(name: "NASTrainerTests", dependencies: ["NASTestSupport", "NASTrainer", "NASSpace"]),
        .testTarget(name: "NASExportTests", dependencies: ["NASExport", "NASTrainer", "NASSpace"]),
        .testTarget(name: "NASQueryTests", dependencies: ["NASTestSupport", "NASQuery", "NASStore", "NASSearch", "NASSpace", grdb]),
        .testTarget(name: "NASCommandsTests", dependencies: ["NASTestSupport", "NASCommands", "NASSpace", "NASStore", grdb], exclude: ["Fixtures"]),
    ],
    swiftLanguageModes: [.v6]
)
