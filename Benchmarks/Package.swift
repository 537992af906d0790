// swift-tools-version: 6.1
// Microbenchmarks of moderate's hot path on ordo-one/benchmark (README, "Microbenchmarks:
// `Benchmarks/`"). A package of its own, so that neither the main package nor CI builds it:
//
//     cd Benchmarks && swift package benchmark
import PackageDescription

// A path dependency is known by its folder's name (the checkout's, which is not always
// "moderate"), and that is the name its products are looked up by.
let root = Context.packageDirectory.split(separator: "/").dropLast().last.map { String($0).lowercased() } ?? "moderate"

let package = Package(
    name: "ModerateBenchmarks",
    dependencies: [
        .package(path: ".."),
        // MallocInterposer (and no RuntimeInterposer: its package is not needed then) counts
        // allocations without jemalloc on Swift 6.3.
        .package(url: "https://github.com/ordo-one/benchmark", from: "1.38.1", traits: ["MallocInterposer"]),
    ],
    targets: [
        .executableTarget(
            name: "HotPathBenchmarks",
            dependencies: [
                .product(name: "Benchmark", package: "benchmark"),
                .product(name: "ModerateCore", package: root),
                .product(name: "PCRE2", package: root),
            ],
            path: "Benchmarks/HotPathBenchmarks",
            plugins: [.plugin(name: "BenchmarkPlugin", package: "benchmark")]
        ),
    ]
)
