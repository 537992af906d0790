// swift-tools-version: 6.1
import PackageDescription

let package = Package(
    name: "moderate",
    products: [
        .executable(name: "moderate", targets: ["moderate"]),
        // For the fuzz targets in Fuzz/ (a package of their own, built with -sanitize=fuzzer).
        .library(name: "ModerateCore", targets: ["ModerateCore"]),
        // For the prefilter's fuzz target, which checks the pattern analysis against PCRE2.
        .library(name: "PCRE2", targets: ["PCRE2"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.8.2"),
        .package(url: "https://github.com/jpsim/Yams", from: "6.2.2"),
        .package(url: "https://github.com/apple/swift-crypto", from: "3.12.3"),
        .package(url: "https://github.com/apple/swift-log", from: "1.16.2"),
        // Prometheus text format for --metrics (node_exporter's textfile collector).
        .package(url: "https://github.com/swift-server/swift-prometheus", from: "2.4.1"),
    ],
    targets: [
        // libpcre2-8 through its C API (Debian: libpcre2-dev).
        .systemLibrary(
            name: "CPCRE2",
            pkgConfig: "libpcre2-8",
            providers: [.apt(["libpcre2-dev"])]
        ),
        // zlib's gzread, so that .gz exports stream like plain ones (Debian: zlib1g-dev).
        .systemLibrary(
            name: "CZlib",
            pkgConfig: "zlib",
            providers: [.apt(["zlib1g-dev"])]
        ),
        // ncursesw, for the review screen (moderate review): terminfo, resizes, wide characters
        // (Debian: libncurses-dev).
        .systemLibrary(
            name: "CNcurses",
            pkgConfig: "ncursesw",
            providers: [.apt(["libncurses-dev"])]
        ),
        // glibc's mallopt, for the number of memory arenas of a run (moderate run).
        .systemLibrary(name: "CMalloc"),
        // A small Swift wrapper: compile + JIT, match on UTF-8 bytes, limits, errors with offsets.
        .target(name: "PCRE2", dependencies: ["CPCRE2"]),
        // The engine: comments, rules, stages, decisions, queue records. No CLI here.
        .target(
            name: "ModerateCore",
            dependencies: [
                "PCRE2",
                "CZlib",
                "Yams",
                .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "Logging", package: "swift-log"),
            ]
        ),
        .executableTarget(
            name: "moderate",
            dependencies: [
                "ModerateCore",
                "PCRE2",
                "CMalloc",
                "CNcurses",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
                .product(name: "Prometheus", package: "swift-prometheus"),
                .product(name: "Logging", package: "swift-log"),
            ]
        ),
        .testTarget(name: "PCRE2Tests", dependencies: ["PCRE2"]),
        .testTarget(name: "ModerateCoreTests", dependencies: ["ModerateCore"]),
        // Runs the built `moderate` binary as a user would.
        .testTarget(name: "CLITests", dependencies: ["moderate"]),
    ]
)
