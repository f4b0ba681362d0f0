// swift-tools-version:6.1
import PackageDescription

let strict: [SwiftSetting] = [.swiftLanguageMode(.v6)]

let package = Package(
    name: "Jembatan",
    platforms: [.macOS(.v14)],
    products: [
        .executable(name: "jembatan", targets: ["jembatan"]),
        .library(name: "JembatanClient", targets: ["JembatanClient"]),
    ],
    dependencies: [
        .package(url: "https://github.com/groue/GRDB.swift", exact: "7.10.0"),
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.8.2"),
        .package(url: "https://github.com/apple/swift-log", from: "1.16.2"),
        .package(url: "https://github.com/apple/swift-crypto", from: "3.12.3"),
        .package(url: "https://github.com/apple/swift-metrics", from: "2.13.0"),
        .package(url: "https://github.com/swift-server/swift-prometheus", from: "2.4.1"),
        .package(url: "https://github.com/HdrHistogram/hdrhistogram-swift", from: "0.2.0"),
        .package(url: "https://github.com/vapor/postgres-nio", from: "1.33.2"),
        .package(url: "https://github.com/swiftlang/swift-docc-plugin", from: "1.5.0"),
    ],
    targets: [
        // libwebsockets (Debian's 4.1.6, libuv event library as a plugin) and its shim.
        .systemLibrary(
            name: "CWebSockets", pkgConfig: "libwebsockets",
            providers: [.apt(["libwebsockets-dev", "libwebsockets-evlib-uv"])]),
        // The system ICU. Only CICU depends on it; no Swift module may import it (see DESIGN.md).
        .systemLibrary(name: "ICU4C", pkgConfig: "icu-i18n", providers: [.apt(["libicu-dev"])]),
        .target(name: "CICU", dependencies: ["ICU4C"]),
        .target(name: "JembatanText", dependencies: ["CICU"], swiftSettings: strict),
        .target(name: "JembatanCore", dependencies: ["JembatanText"], swiftSettings: strict),
        .target(
            name: "JembatanStore",
            dependencies: [
                "JembatanCore", .product(name: "GRDB", package: "GRDB.swift"), .product(name: "GRDBSQLite", package: "GRDB.swift"),
            ],
            swiftSettings: strict),
        // Cluster mode's store: the same protocol on PostgreSQL (see SCALEOUT.md).
        .target(
            name: "JembatanPostgres",
            dependencies: [
                "JembatanCore", "JembatanStore", .product(name: "PostgresNIO", package: "postgres-nio"),
                .product(name: "Logging", package: "swift-log"),
            ],
            swiftSettings: strict),
        // Cluster mode's bus: Redis pub/sub through Debian's hiredis 0.14.1 (see SCALEOUT.md).
        .systemLibrary(name: "CHiredis", pkgConfig: "hiredis", providers: [.apt(["libhiredis-dev"])]),
        .target(
            name: "JembatanBus", dependencies: ["CHiredis", .product(name: "Logging", package: "swift-log")],
            swiftSettings: strict),
        .target(name: "JembatanClient", dependencies: ["CWebSockets"], swiftSettings: strict),
        // The PROXY protocol port's listener on the broker's libuv loop (headers read in Swift).
        .target(name: "CProxyListener", linkerSettings: [.linkedLibrary("uv")]),
        .target(
            name: "JembatanServer",
            dependencies: [
                "JembatanCore", "JembatanStore", "JembatanText", "JembatanBus", "CWebSockets", "CProxyListener",
                .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "_CryptoExtras", package: "swift-crypto"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "Metrics", package: "swift-metrics"),
                .product(name: "Prometheus", package: "swift-prometheus"),
            ],
            swiftSettings: strict),
        .executableTarget(
            name: "jembatan",
            dependencies: [
                "JembatanServer", "JembatanClient", "JembatanCore", "JembatanStore", "JembatanText", "JembatanPostgres",
                "JembatanBus", .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ],
            swiftSettings: strict),
        // Drives the core without a database: the routing benchmark and the fuzzer.
        .target(name: "JembatanDriver", dependencies: ["JembatanCore"], swiftSettings: strict),
        .executableTarget(
            name: "jembatan-fuzz", dependencies: ["JembatanCore", "JembatanText", "JembatanDriver"], path: "Sources/FuzzTarget",
            swiftSettings: strict),
        .executableTarget(
            name: "jembatan-bench-routing",
            dependencies: [
                "JembatanCore", "JembatanText", "JembatanDriver", .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ],
            path: "Sources/RoutingBenchmark", swiftSettings: strict),
        // Load generator: chat, the floor (echo), MQTT, idle connections and the morning rush.
        .executableTarget(
            name: "jembatan-load",
            dependencies: [
                "JembatanClient", .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "Histogram", package: "hdrhistogram-swift"),
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ],
            path: "Sources/LoadGenerator", swiftSettings: strict),
        .testTarget(name: "LoadGeneratorTests", dependencies: ["jembatan-load"], swiftSettings: strict),
        .testTarget(name: "JembatanTextTests", dependencies: ["JembatanText"], swiftSettings: strict),
        .testTarget(name: "JembatanCoreTests", dependencies: ["JembatanCore"], swiftSettings: strict),
        .testTarget(
            name: "JembatanStoreTests",
            dependencies: ["JembatanStore", "JembatanPostgres", .product(name: "Logging", package: "swift-log")],
            swiftSettings: strict),
        // A real redis-server for the bus and server tests.
        .target(name: "RedisTestSupport", path: "Tests/Support/RedisTestSupport", swiftSettings: strict),
        .testTarget(
            name: "JembatanBusTests",
            dependencies: ["JembatanBus", "RedisTestSupport", .product(name: "Logging", package: "swift-log")],
            swiftSettings: strict),
        .testTarget(name: "JembatanClientTests", dependencies: ["JembatanClient", "CWebSockets"], swiftSettings: strict),
        .testTarget(
            name: "JembatanServerTests",
            dependencies: [
                "JembatanServer", "JembatanClient", "JembatanBus", "RedisTestSupport",
                .product(name: "Logging", package: "swift-log"), .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "_CryptoExtras", package: "swift-crypto"),
            ], swiftSettings: strict),
    ]
)
