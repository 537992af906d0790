import Foundation
@testable import ModerateCore
import PCRE2

/// A scratch rules directory written from a dictionary of relative path to file text.
func makeRulesDirectory(_ files: [String: String]) throws -> String {
    let directory = FileManager.default.temporaryDirectory
        .appendingPathComponent("moderate-rules-\(UUID().uuidString)").path
    for (relativePath, text) in files {
        let path = directory + "/" + relativePath
        try FileManager.default.createDirectory(atPath: (path as NSString).deletingLastPathComponent,
                                                withIntermediateDirectories: true)
        try text.write(toFile: path, atomically: true, encoding: .utf8)
    }
    return directory
}

let standardPipeline = """
    stages: [allow, spam, links, keywords]
    thresholds: {hold: 3, reject: 7}

    """

/// The repository's own rules/ folder (the default rules that ship).
let defaultRulesDirectory: String = {
    repositoryRoot.appendingPathComponent("rules").path
}()

func rule(_ id: String, stage: String, pattern: String, action: Action? = nil, score: Double = 0,
          fields: [RuleField] = [.raw(.body)], count: CountMode = .first, options: RegexOptions = .caseless,
          examples: RuleExamples = RuleExamples()) throws -> Rule {
    Rule(id: id, stage: stage, description: "test rule", fields: fields, regex: try Regex(pattern, options: options),
         action: action, score: score, count: count, examples: examples,
         location: SourceLocation(file: "test.yaml", line: 1, column: 1))
}

func ruleSet(_ rules: [Rule], stages: [String] = ["allow", "spam", "links", "keywords"],
             hold: Double = 3, reject: Double = 7, limits: MatchLimits = .standard) -> RuleSet {
    RuleSet(stages: stages.map { name in Stage(name: name, rules: rules.filter { $0.stage == name }) },
            thresholds: Thresholds(hold: hold, reject: reject), limits: limits, fingerprint: "sha256:test")
}

func comment(_ body: String, _ fields: [CommentField: String] = [:]) -> Comment {
    var all = fields
    all[.body] = body
    return Comment(id: fields[.id], fields: all)
}
