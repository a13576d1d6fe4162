// swift-tools-version:6.1
// credit-etl: ingestion pipeline for a city's public credit information platform.
import Foundation
import PackageDescription

/// Strict concurrency is the Swift 6 language mode default; warnings are kept at zero by CI review.
let swiftSettings: [SwiftSetting] = [
    .swiftLanguageMode(.v6),
]

let package = Package(
    name: "credit-etl",
    platforms: [.macOS(.v14)],
    products: [
        .executable(name: "credit-etl", targets: ["credit-etl"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.5.0"),
        .package(url: "https://github.com/apple/swift-log", from: "1.16.0"),
        .package(url: "https://github.com/apple/swift-crypto", from: "3.12.0"),
        .package(url: "https://github.com/jpsim/Yams", from: "6.0.0"),
        .package(url: "https://github.com/groue/GRDB.swift", from: "7.0.0"),
        // XLSX lists (信用核查): a workbook is a zip of XML parts.
        .package(url: "https://github.com/weichsel/ZIPFoundation", from: "0.9.19"),
    ],
    targets: [
        // MARK: System libraries (one C library, one target; imported only by its own adapter)
        .systemLibrary(
            name: "CLibCSV",
            path: "Sources/CLibCSV",
            providers: [.apt(["libcsv-dev"])]),
        .systemLibrary(
            name: "CLibXML2",
            path: "Sources/CLibXML2",
            pkgConfig: "libxml-2.0",
            providers: [.apt(["libxml2-dev"])]),

        .systemLibrary(
            name: "CLibPQ",
            path: "Sources/CLibPQ",
            pkgConfig: "libpq",
            providers: [.apt(["libpq-dev"])]),
        .systemLibrary(
            name: "CSQLiteSettings",
            path: "Sources/CSQLiteSettings",
            providers: [.apt(["libsqlite3-dev"])]),

        // MARK: Stages
        .target(
            name: "CreditCore",
            swiftSettings: swiftSettings),
        .target(
            name: "CreditIdentifiers",
            dependencies: ["CreditCore"],
            swiftSettings: swiftSettings),
        .target(
            name: "CreditCatalog",
            dependencies: ["CreditCore", "CreditIdentifiers", .product(name: "Yams", package: "Yams")],
            swiftSettings: swiftSettings),
        .target(
            name: "CreditAdapters",
            dependencies: ["CreditCore", "CLibCSV", "CLibXML2", .product(name: "ZIPFoundation", package: "ZIPFoundation")],
            swiftSettings: swiftSettings),
        .target(
            name: "CreditHistory",
            dependencies: ["CreditCore"],
            swiftSettings: swiftSettings),
        .target(
            name: "CreditValidation",
            dependencies: ["CreditCore", "CreditCatalog", "CreditIdentifiers", "CreditHistory"],
            swiftSettings: swiftSettings),
        .target(
            name: "CreditNormalization",
            dependencies: ["CreditCore", "CreditCatalog"],
            swiftSettings: swiftSettings),
        // The archive: what every backend is (protocols, model types, names, shared SQL), then one
        // module per backend; nothing else imports GRDB or libpq.
        .target(
            name: "CreditArchive",
            dependencies: ["CreditCore", "CreditCatalog", "CreditIdentifiers"],
            swiftSettings: swiftSettings),
        .target(
            name: "CreditArchiveSQLite",
            dependencies: [
                "CreditArchive", "CreditCore", "CreditCatalog", "CSQLiteSettings",
                .product(name: "GRDB", package: "GRDB.swift"),
                .product(name: "GRDBSQLite", package: "GRDB.swift"),
            ],
            swiftSettings: swiftSettings),
        .target(
            name: "CreditArchivePostgres",
            dependencies: ["CreditArchive", "CreditCore", "CreditCatalog", "CLibPQ"],
            swiftSettings: swiftSettings),
        .target(
            name: "CreditReports",
            dependencies: ["CreditCore", "CreditCatalog", "CreditValidation", "CreditArchive", "CreditPublication"],
            swiftSettings: swiftSettings),
        .target(
            name: "CreditPublication",
            dependencies: ["CreditCore", "CreditCatalog", "CreditArchive"],
            swiftSettings: swiftSettings),
        .target(
            name: "CreditPipeline",
            dependencies: [
                "CreditCore", "CreditIdentifiers", "CreditCatalog", "CreditAdapters", "CreditValidation",
                "CreditNormalization", "CreditHistory", "CreditArchive", "CreditArchiveSQLite", "CreditArchivePostgres",
                "CreditReports", "CreditPublication",
                .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "Logging", package: "swift-log"),
            ],
            swiftSettings: swiftSettings),
        .target(
            name: "CreditTools",
            dependencies: [
                "CreditPipeline", "CreditCore", "CreditIdentifiers", "CreditCatalog", "CreditAdapters", "CreditValidation",
                "CreditNormalization", "CreditArchive", "CreditArchiveSQLite", "CreditArchivePostgres", "CreditReports",
                "CreditPublication",
            ],
            swiftSettings: swiftSettings),
        .executableTarget(
            name: "credit-etl",
            dependencies: [
                "CreditPipeline", "CreditTools", "CreditReports", "CreditArchive", "CreditCatalog", "CreditIdentifiers", "CreditCore", "CreditAdapters",
                "CreditValidation", "CreditPublication",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
                .product(name: "Logging", package: "swift-log"),
            ],
            swiftSettings: swiftSettings),

        // MARK: Tests (mirror the stages)
        .target(
            name: "TestSupport",
            dependencies: ["CreditCore", "CreditIdentifiers", "CreditCatalog", "CreditAdapters"],
            path: "Tests/TestSupport",
            swiftSettings: swiftSettings),
        .testTarget(name: "CreditCoreTests", dependencies: ["CreditCore", "TestSupport"], swiftSettings: swiftSettings),
        .testTarget(
            name: "CreditIdentifiersTests",
            dependencies: ["CreditIdentifiers", "CreditCore", "TestSupport"],
            swiftSettings: swiftSettings),
        .testTarget(name: "CreditCatalogTests", dependencies: ["CreditCatalog", "TestSupport"], swiftSettings: swiftSettings),
        .testTarget(
            name: "CreditAdaptersTests",
            dependencies: ["CreditAdapters", "CreditCore", "TestSupport"],
            exclude: ["FuzzRegressions"],
            swiftSettings: swiftSettings),
        .testTarget(name: "CreditHistoryTests", dependencies: ["CreditHistory", "CreditCore", "TestSupport"], swiftSettings: swiftSettings),
        .testTarget(
            name: "CreditValidationTests",
            dependencies: ["CreditValidation", "CreditCatalog", "CreditCore", "CreditIdentifiers", "CreditAdapters",
                           "TestSupport"],
            swiftSettings: swiftSettings),
        .testTarget(
            name: "CreditNormalizationTests",
            dependencies: ["CreditNormalization", "CreditCatalog", "CreditCore", "CreditAdapters", "TestSupport"],
            swiftSettings: swiftSettings),
        .testTarget(
            name: "CreditArchiveTests",
            dependencies: ["CreditArchive", "CreditArchiveSQLite", "CreditArchivePostgres", "CreditCatalog", "CreditCore",
                           "TestSupport"],
            swiftSettings: swiftSettings),
        .testTarget(
            name: "CreditPublicationTests",
            dependencies: ["CreditPublication", "CreditArchive", "CreditCatalog", "CreditCore", "TestSupport"],
            swiftSettings: swiftSettings),
        .testTarget(
            name: "CreditReportsTests",
            dependencies: ["CreditReports", "CreditPipeline", "CreditArchive", "CreditArchiveSQLite", "CreditArchivePostgres",
                           "CreditCatalog", "CreditCore",
                           .product(name: "Logging", package: "swift-log"), "TestSupport"],
            exclude: ["Golden"],
            swiftSettings: swiftSettings),
        .testTarget(
            name: "CreditPipelineTests",
            dependencies: ["CreditPipeline", "CreditTools", "CreditArchive", "CreditArchiveSQLite", "CreditArchivePostgres",
                           "CreditCatalog", "CreditCore", "CreditIdentifiers", "TestSupport", "credit-etl",
                           .product(name: "ZIPFoundation", package: "ZIPFoundation")],
            exclude: ["Golden"],
            swiftSettings: swiftSettings),
    ]
)

// Benchmarks build only when asked (`make bench`), so neither `swift build` nor CI pays for them.
if ProcessInfo.processInfo.environment["CREDIT_ETL_BENCHMARKS"] != nil {
    package.targets.append(.executableTarget(
        name: "credit-etl-benchmarks",
        dependencies: ["CreditIdentifiers", "CreditCore", "CreditCatalog", "CreditAdapters", "CreditValidation",
                       "CreditHistory", "CreditArchive", "CreditArchiveSQLite", "CreditPipeline", "CreditTools"],
        path: "Benchmarks/credit-etl-benchmarks",
        swiftSettings: swiftSettings))
}

// The libFuzzer harness of the source adapters: built only by scripts/fuzz.sh.
if ProcessInfo.processInfo.environment["CREDIT_ETL_FUZZ"] != nil {
    package.targets.append(.executableTarget(
        name: "credit-etl-fuzz",
        dependencies: ["CreditAdapters", "CreditCore"],
        path: "Fuzz/credit-etl-fuzz",
        swiftSettings: swiftSettings))
}
