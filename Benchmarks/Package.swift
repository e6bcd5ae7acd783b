// swift-tools-version:6.1
// Micro-benchmarks for AnonLogCore (ordo-one/package-benchmark). A separate package on
// purpose: the root package's `swift build` / `swift test` never resolve or build it.
// Run from this directory: swift package --allow-writing-to-package-directory benchmark
import PackageDescription

let package = Package(
    name: "anonlog-benchmarks",
    platforms: [.macOS(.v13)],
    dependencies: [
        .package(name: "anonlog", path: ".."),
        // MallocInterposer: counts mallocs (mallocCountTotal) without jemalloc. Listing the
        // traits replaces the defaults, so RuntimeInterposer (ARC counters on Linux/6.3) is off.
        .package(url: "https://github.com/ordo-one/benchmark", exact: "1.38.1",
                 traits: ["MallocInterposer"]),
    ],
    targets: [
        .executableTarget(
            name: "ScannerBenchmark",
            dependencies: [
                .product(name: "AnonLogCore", package: "anonlog"),
                .product(name: "Benchmark", package: "benchmark"),
            ],
            path: "Benchmarks/ScannerBenchmark",
            plugins: [
                .plugin(name: "BenchmarkPlugin", package: "benchmark"),
            ]
        ),
    ]
)
