// swift-tools-version:6.0
// Which PostgreSQL client the archive's PostgreSQL backend should use (issue 13): libpq (a system
// library, like libcsv and libxml2) or PostgresNIO, both loading the same rows with COPY FROM
// STDIN, against `psql \copy` of the same rows. A package of its own, so the main build never
// fetches SwiftNIO. Run it with ./run.sh (docs/performance.md has the figures).
import PackageDescription

let package = Package(
    name: "postgres-client-bench",
    platforms: [.macOS(.v13)],
    dependencies: [
        .package(url: "https://github.com/vapor/postgres-nio", from: "1.21.0"),
    ],
    targets: [
        .systemLibrary(name: "CLibPQ", path: "Sources/CLibPQ", pkgConfig: "libpq", providers: [.apt(["libpq-dev"])]),
        .executableTarget(
            name: "postgres-client-bench",
            dependencies: ["CLibPQ", .product(name: "PostgresNIO", package: "postgres-nio")]),
    ],
    // Top-level code mixing a C handle and async calls: a measuring script, kept in Swift 5 mode.
    swiftLanguageModes: [.v5]
)
