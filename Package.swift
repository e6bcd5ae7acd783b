// swift-tools-version:6.0
import PackageDescription

let package = Package(
    name: "anonlog",
    platforms: [.macOS(.v13)],
    products: [
        .executable(name: "anonlog", targets: ["anonlog"]),
        .library(name: "AnonLogCore", targets: ["AnonLogCore"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.5.0"),
        .package(url: "https://github.com/apple/swift-crypto", "3.12.3"..<"5.0.0"),
    ],
    targets: [
        // Core: all logic, one module so the hot path specialises.
        .target(
            name: "AnonLogCore",
            dependencies: ["CZlib", "CLZMA", "CISAL", "CDeflate", "CZstd", "CByteMasks", "CAES", "CSHA256", "CMapGuard", "CFileSystem", .product(name: "Crypto", package: "swift-crypto")],
            exclude: ["README.md"]
        ),
        // Executable: a thin swift-argument-parser front.
        .executableTarget(
            name: "anonlog",
            dependencies: [
                "AnonLogCore",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ]
        ),
        // C: the scanner's SSE2 byte-mask kernel (Swift has no movemask), header-only.
        .target(name: "CByteMasks"),
        .target(name: "CSHA256"),
        // C: the SIGBUS handler that names a mapped input file truncated under us.
        .target(name: "CMapGuard"),
        // C: the Linux file calls Glibc's module leaves out (xattrs, O_PATH, statfs).
        .target(name: "CFileSystem"),
        // C: AES-128 block encryption for ipcrypt, AES-NI with a portable fallback.
        .target(name: "CAES"),
        // C shims: system libraries (zlib1g-dev, liblzma-dev).
        .systemLibrary(name: "CZlib", pkgConfig: "zlib", providers: [.apt(["zlib1g-dev"])]),
        .systemLibrary(name: "CLZMA", pkgConfig: "liblzma", providers: [.apt(["liblzma-dev"])]),
        // gzip input (ISA-L's inflate), gzip output (libdeflate), zstd in and out.
        .systemLibrary(name: "CISAL", pkgConfig: "libisal", providers: [.apt(["libisal-dev"]), .brew(["isa-l"])]),
        .systemLibrary(name: "CDeflate", pkgConfig: "libdeflate", providers: [.apt(["libdeflate-dev"]), .brew(["libdeflate"])]),
        .systemLibrary(name: "CZstd", pkgConfig: "libzstd", providers: [.apt(["libzstd-dev"]), .brew(["zstd"])]),
        // Tests: unit tests plus end-to-end tests that run the built binary.
        .testTarget(
            name: "AnonLogCoreTests",
            dependencies: ["AnonLogCore", "CZlib", "CByteMasks", "CSHA256"],
            resources: []
        ),
        .testTarget(
            name: "EndToEndTests",
            dependencies: ["anonlog", "hostile-racer", "CFileSystem"]
        ),
        // Test helper: the attacker of the hostile-filesystem tests (inotify + renameat2, as nobody).
        .executableTarget(name: "hostile-racer", path: "Tests/HostileRacer"),
    ]
)
