import Foundation
import FuzzSupport
import ModerateCore

/// The rule loader: YAML parsing, rule validation, pattern and list compilation (PCRE2 + JIT).
/// The input is one rule file beside the shipped pipeline.yaml and lists; when it loads,
/// a few comments are decided with it, so compiled patterns are run too.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzRules(_ data: UnsafePointer<UInt8>?, _ size: Int) -> Int32 {
    Rules.prepare()
    Fuzz.write(data, size, to: "rules/fuzz.yaml")
    let result = RuleLoader.load(directory: Fuzz.directory + "/rules")
    for error in result.errors { _ = error.description }
    if let ruleSet = result.ruleSet {
        let decider = Decider(ruleSet: ruleSet)
        for body in Rules.comments {
            _ = decider.decide(Comment(id: "f", fields: [.body: body, .author: "Fuzz", .authorURL: "http://x.example/"]))
        }
    }
    return 0
}

enum Rules {
    static let comments = ["", "Great post! Check out my channel https://bit.ly/abc", "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaab",
                           "Fr€€ v1agra at w w w . example . com", String(repeating: "x y ", count: 300)]
    nonisolated(unsafe) static var prepared = false

    /// Copies pipeline.yaml and lists/ of the shipped rules into the scratch rules directory.
    static func prepare() {
        guard !prepared else { return }
        prepared = true
        let source = Fuzz.rulesDirectory
        let target = Fuzz.directory + "/rules"
        let files = FileManager.default
        try? files.createDirectory(atPath: target, withIntermediateDirectories: true)
        try? files.copyItem(atPath: source + "/pipeline.yaml", toPath: target + "/pipeline.yaml")
        try? files.copyItem(atPath: source + "/lists", toPath: target + "/lists")
    }
}

@_cdecl("FuzzRules_main")
public func main(_ argc: Int32, _ argv: Arguments?) -> Int32 {
    Fuzz.run(argc, argv, fuzzRules)
}
