// swift-tools-version: 6.1
// libFuzzer targets for moderate's readers, rule loader, normaliser, link extractor and prefilter.
// Build and run them with scripts/fuzz (README, "Security"); they are not part of `swift test`.
import PackageDescription

// SwiftPM names a path dependency after its folder (the clone's name, whatever it is).
let parent = Context.packageDirectory.split(separator: "/").dropLast().last.map(String.init) ?? "moderate"
let core = Target.Dependency.product(name: "ModerateCore", package: parent)

let targets = ["FuzzJSONLines", "FuzzJSONArray", "FuzzCSV", "FuzzWXR", "FuzzDisqus", "FuzzRules", "FuzzNormalizer", "FuzzLinks", "FuzzPrefilter"]
let pcre2 = Target.Dependency.product(name: "PCRE2", package: parent)

let package = Package(
    name: "moderate-fuzz",
    dependencies: [.package(path: "..")],
    targets: [
        .target(name: "FuzzSupport", dependencies: [core]),
    ] + targets.map { name in
        // No `main`: libFuzzer's is linked in by -sanitize=fuzzer; each calls LLVMFuzzerTestOneInput.
        .executableTarget(name: name, dependencies: ["FuzzSupport", core, pcre2],
                          swiftSettings: [.unsafeFlags(["-parse-as-library"])])
    }
)
