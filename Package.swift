// swift-tools-version:6.0
import PackageDescription

// MARK: - External products

let argumentParser: Target.Dependency = .product(name: "ArgumentParser", package: "swift-argument-parser")
let grdb: Target.Dependency = .product(name: "GRDB", package: "GRDB.swift")
let grdbSQLite: Target.Dependency = .product(name: "GRDBSQLite", package: "GRDB.swift")
let yams: Target.Dependency = .product(name: "Yams", package: "Yams")

let package = Package(
    name: "layernas",
    products: [
        .executable(name: "layernas", targets: ["layernas"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.8.2"),
        .package(url: "https://github.com/groue/GRDB.swift", from: "7.10.0"),
        .package(url: "https://github.com/jpsim/Yams", from: "6.2.2"),
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
        .target(name: "NASQuery", dependencies: ["NASSpace", grdb, grdbSQLite]),
        .target(
            name: "NASCommands",
            dependencies: ["NASSpace", "NASStore", "NASProcess", "NASSearch", "NASTrainer", "NASQuery", argumentParser]
        ),
        .executableTarget(name: "layernas", dependencies: ["NASCommands"]),

        // MARK: - Tests

        .testTarget(name: "NASSpaceTests", dependencies: ["NASSpace"], exclude: ["Fixtures"]),
        .testTarget(name: "NASStoreTests", dependencies: ["NASStore", "NASSpace", grdb]),
        .testTarget(name: "NASProcessTests", dependencies: ["NASProcess"]),
        .testTarget(name: "NASSearchTests", dependencies: ["NASSearch", "NASStore", "NASSpace", grdb]),
        .testTarget(name: "NASTrainerTests", dependencies: ["NASTrainer", "NASSpace"]),
        .testTarget(name: "NASQueryTests", dependencies: ["NASQuery", "NASStore", "NASSearch", "NASSpace", grdb]),
        .testTarget(name: "NASCommandsTests", dependencies: ["NASCommands", "NASSpace", "NASStore", grdb], exclude: ["Fixtures"]),
    ],
    swiftLanguageModes: [.v6]
)
