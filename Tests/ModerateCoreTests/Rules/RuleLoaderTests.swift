import Foundation
@testable import ModerateCore
import PCRE2
import Testing

@Suite struct RuleLoaderTests {
    @Test func defaultRulesLoadWithoutProblems() throws {
        let result = RuleLoader.load(directory: defaultRulesDirectory)
        #expect(result.problems == [])
        let ruleSet = try #require(result.ruleSet)
        #expect(ruleSet.stages.map(\.name) == ["allow", "spam", "links", "keywords", "learned"])
        #expect(ruleSet.learnedStage?.model.spamComments ?? 0 > 0)
        #expect(ruleSet.rules.count >= 10)
        #expect(ruleSet.fingerprint.hasPrefix("sha256:"))
    }

    @Test func badPlainPatternIsReportedAtTheCharacterPCRE2StoppedAt() throws {
        let directory = try makeRulesDirectory([
            "pipeline.yaml": standardPipeline,
            "spam.yaml": """
                stage: spam
                rules:
                  - id: spam.broken
                    description: A broken pattern.
                    pattern: ab(c
                    score: 3
                """,
        ])
        let result = RuleLoader.load(directory: directory)
        #expect(result.ruleSet == nil)
        let error = try #require(result.errors.first)
        #expect(error.location == SourceLocation(file: directory + "/spam.yaml", line: 5, column: 18))
        #expect(error.description.contains("missing closing parenthesis"))
        #expect(error.description.hasPrefix(directory + "/spam.yaml:5:18: error: rule 'spam.broken': pattern:"))
    }

    @Test(arguments: [
        // (pattern as written in YAML, expected column of the error; the rule is on line 5)
        // PCRE2 reports these at the end of the pattern: the column after the last character.
        (#"'a''b(c'"#, 21),          // single-quoted, with an escaped quote before the error
        (#""a\\b[c""#, 21),          // double-quoted, with an escape before the error
        // PCRE2 reports a duplicate name just after it: column 27 is the second `>` + 1.
        ("x(?<n>a)(?<n>b)", 27),
    ])
    func quotedPatternErrorsPointIntoTheSourceLine(written: String, column: Int) throws {
        let directory = try makeRulesDirectory([
            "pipeline.yaml": standardPipeline,
            "spam.yaml": "stage: spam\nrules:\n  - id: r\n    description: d\n    pattern: \(written)\n    score: 1\n",
        ])
        let error = try #require(RuleLoader.load(directory: directory).errors.first)
        #expect(error.location.line == 5)
        #expect(error.location.column == column, "\(error)")
    }

    @Test func blockScalarPatternErrorPointsAtItsLine() throws {
        let directory = try makeRulesDirectory([
            "pipeline.yaml": standardPipeline,
            "spam.yaml": """
                stage: spam
                rules:
                  - id: spam.block
                    description: A pattern written as a block.
                    pattern: |-
                      (?:first|second)
                      [unclosed
                    score: 1
                """,
        ])
        let error = try #require(RuleLoader.load(directory: directory).errors.first)
        #expect(error.location.line == 7)
        #expect(error.description.contains("missing terminating ]"))
    }

    @Test func everyErrorIsReportedAtOnce() throws {
        let directory = try makeRulesDirectory([
            "pipeline.yaml": standardPipeline,
            "spam.yaml": """
                stage: spam
                rules:
                  - id: dup
                    description: First.
                    pattern: one
                    score: 1
                  - id: dup
                    description: Second with the same id.
                    pattern: two
                    score: 1
                  - id: bad-field
                    description: Names a field that does not exist.
                    fields: [bdy]
                    pattern: three
                    score: 1
                  - id: unknown-key
                    description: Has a typo in a key.
                    patern: four
                    score: 1
                  - id: bad-stage
                    stage: spamm
                    description: Unknown stage.
                    pattern: five
                    action: hold
                  - id: no-action
                    description: Neither action nor score.
                    pattern: six
                  - id: bad-action
                    description: Misspelt action.
                    pattern: seven
                    action: rejct
                """,
            "links.yaml": "stage: links\nrules:\n  - id: l\n    description: bad\n    pattern: '(a'\n    score: 1\n",
        ])
        let result = RuleLoader.load(directory: directory)
        let messages = result.errors.map(\.description)
        #expect(result.ruleSet == nil)
        // One mistake, one message: a misspelt action is not also reported as a missing one.
        #expect(!messages.contains { $0.contains("'bad-action': needs an 'action'") })
        let expectations = [
            "spam.yaml:7:5: error: rule id 'dup' is already used at",
            "spam.yaml:13:14: error: rule 'bad-field': unknown field 'bdy'",
            "spam.yaml:18:5: error: rule: unknown key 'patern'",
            "spam.yaml:21:12: error: unknown stage 'spamm'",
            "spam.yaml:25:5: error: rule 'no-action': needs an 'action'",
            "spam.yaml:31:13: error: rule 'bad-action': action must be approve, hold or reject",
            "links.yaml:5:17: error: rule 'l': pattern: missing closing parenthesis",
        ]
        for expected in expectations {
            #expect(messages.contains { $0.contains(expected) }, "missing: \(expected)\nhave: \(messages)")
        }
    }

    @Test func invalidYAMLIsReportedWithItsPlace() throws {
        let directory = try makeRulesDirectory([
            "pipeline.yaml": standardPipeline,
            "spam.yaml": "stage: spam\nrules:\n  - id: x\n    pattern: [unclosed\n",
        ])
        let error = try #require(RuleLoader.load(directory: directory).errors.first)
        #expect(error.location.file.hasSuffix("spam.yaml"))
        #expect(error.location.line >= 4)
        #expect(error.message.hasPrefix("invalid YAML"))
    }

    @Test func missingPipelineIsAnError() throws {
        let directory = try makeRulesDirectory(["spam.yaml": "rules: []\n"])
        let result = RuleLoader.load(directory: directory)
        #expect(result.ruleSet == nil)
        #expect(result.errors.first?.location.file.hasSuffix("pipeline.yaml") == true)
    }

    @Test(arguments: ["", "\n", "# only a comment\n"])
    func emptyPipelineIsAnErrorThatSaysSo(text: String) throws {
        let directory = try makeRulesDirectory(["pipeline.yaml": text, "spam.yaml": "rules: []\n"])
        let result = RuleLoader.load(directory: directory)
        #expect(result.ruleSet == nil)
        let error = try #require(result.errors.first, "an empty pipeline.yaml was refused without an error")
        #expect(error.location.file.hasSuffix("pipeline.yaml"))
        #expect(error.message.contains("empty"), "\(error.message)")
    }

    @Test func listRulesMatchWholePhrasesOnly() throws {
        let directory = try makeRulesDirectory([
            "pipeline.yaml": standardPipeline,
            "lists/pills.txt": "# pharmacy\nviagra\nwithout  prescription   # any white space between words\n\n",
            "keywords.yaml": """
                stage: keywords
                rules:
                  - id: pills
                    description: Pill words.
                    list: lists/pills.txt
                    score: 5
                    examples:
                      match: [x]
                """,
        ])
        let ruleSet = try #require(RuleLoader.load(directory: directory).ruleSet)
        let decider = Decider(ruleSet: ruleSet)
        #expect(decider.decide(comment("Buy VIAGRA now")).score == 5)
        #expect(decider.decide(comment("sold without\n prescription")).score == 5)
        #expect(decider.decide(comment("viagraville is a town")).score == 0)
    }

    @Test func fingerprintChangesWhenAnyRuleFileChanges() throws {
        let files = [
            "pipeline.yaml": standardPipeline,
            "spam.yaml": "stage: spam\nrules:\n  - id: a\n    description: d\n    pattern: one\n    score: 1\n",
        ]
        let first = try #require(RuleLoader.load(directory: try makeRulesDirectory(files)).ruleSet)
        let same = try #require(RuleLoader.load(directory: try makeRulesDirectory(files)).ruleSet)
        var edited = files
        edited["spam.yaml"] = files["spam.yaml"]!.replacingOccurrences(of: "score: 1", with: "score: 2")
        let changed = try #require(RuleLoader.load(directory: try makeRulesDirectory(edited)).ruleSet)
        #expect(first.fingerprint == same.fingerprint)
        #expect(first.fingerprint != changed.fingerprint)
    }
}

/// The learned stage's settings in pipeline.yaml.
@Suite struct LearnedSettingsTests {
    private func load(_ learned: String) throws -> RuleLoadResult {
        let directory = try makeRulesDirectory([
            "pipeline.yaml": "stages: [spam, learned]\nthresholds: {hold: 3, reject: 7}\nlearned:\n" + learned,
            "learned.model": String(decoding: TokenModel().serialized(), as: UTF8.self),
        ])
        return RuleLoader.load(directory: directory)
    }

    @Test func spamAtLeastIsReadWithItsScore() throws {
        let result = try load("  model: learned.model\n  spam_cutoff: 0.999\n  spam_score: 2\n  spam_at_least: hold\n")
        #expect(result.errors == [])
        let stage = try #require(result.ruleSet?.learnedStage)
        #expect(stage.spamAtLeast == .hold && stage.spamAction == nil && stage.spamScore == 2)
    }

    @Test func spamActionAndSpamAtLeastTogetherAreRefused() throws {
        let result = try load("  model: learned.model\n  spam_action: hold\n  spam_at_least: hold\n")
        #expect(result.ruleSet == nil)
        let error = try #require(result.errors.first)
        #expect(error.location.line == 6)
        #expect(error.description.contains("not both"))
    }

    @Test func anUnknownActionIsRefused() throws {
        let result = try load("  model: learned.model\n  spam_at_least: maybe\n")
        #expect(result.errors.first?.description.contains("spam_at_least must be approve, hold or reject, not 'maybe'") == true)
    }
}

/// `list:` and `links.allowed_domains` name files inside the rules directory only (README,
/// Security, "List paths"): `moderate lint --literals` prints what a list holds, so a list
/// path must not be a way to read any file of the machine the rules are loaded on.
@Suite struct RuleFilePathTests {
    /// A rules directory whose one rule reads `listPath`, and a file outside it, next to it,
    /// holding a line that must never show up in any message.
    private func rulesReading(_ listPath: String, extra: [String: String] = [:]) throws -> (directory: String, secret: String) {
        let directory = try makeRulesDirectory(["pipeline.yaml": standardPipeline, "keywords.yaml": """
            stage: keywords
            rules:
              - id: pills
                description: Pill words.
                list: \(listPath)
                score: 5
            """].merging(extra) { $1 })
        let secret = (directory as NSString).deletingLastPathComponent + "/secret-\(UUID().uuidString).txt"
        try "root-password-line\n".write(toFile: secret, atomically: true, encoding: .utf8)
        return (directory, secret)
    }

    private func expectRefused(_ result: RuleLoadResult, directory: String, column: Int, _ text: String) throws {
        #expect(result.ruleSet == nil)
        let error = try #require(result.errors.first)
        // At the path value itself (line 5, after `    list: `), like every other rule error.
        #expect(error.location == SourceLocation(file: directory + "/keywords.yaml", line: 5, column: column), "\(error)")
        #expect(error.message.contains(text), "\(error)")
        #expect(error.remedy == .allowFilesOutsideRules, "\(error)")
        #expect(!error.message.contains("--"), "the engine names no CLI flag: \(error)")
        #expect(!result.problems.contains { $0.description.contains("root-password-line") })
    }

    @Test func aRelativePathThatLeavesTheRulesDirectoryIsRefused() throws {
        let (directory, secret) = try rulesReading("PLACEHOLDER")
        let name = (secret as NSString).lastPathComponent
        try rewriteList(in: directory, to: "../\(name)")
        try expectRefused(RuleLoader.load(directory: directory), directory: directory, column: 11,
                          "list file '../\(name)' is outside the rules directory")
    }

    @Test func anAbsolutePathIsRefused() throws {
        let (directory, secret) = try rulesReading("PLACEHOLDER")
        try rewriteList(in: directory, to: secret)
        try expectRefused(RuleLoader.load(directory: directory), directory: directory, column: 11,
                          "list file '\(secret)' is an absolute path")
    }

    @Test func aLinkInsideThatPointsOutsideIsRefused() throws {
        // A link to the file, and a folder that is a link: both resolve outside.
        for listPath in ["lists/pills.txt", "linked/secret.txt"] {
            let (directory, secret) = try rulesReading(listPath)
            try FileManager.default.createDirectory(atPath: directory + "/lists", withIntermediateDirectories: true)
            try FileManager.default.createSymbolicLink(atPath: directory + "/lists/pills.txt", withDestinationPath: secret)
            let outsideFolder = (secret as NSString).deletingPathExtension
            try FileManager.default.createDirectory(atPath: outsideFolder, withIntermediateDirectories: true)
            try FileManager.default.copyItem(atPath: secret, toPath: outsideFolder + "/secret.txt")
            try FileManager.default.createSymbolicLink(atPath: directory + "/linked", withDestinationPath: outsideFolder)
            try expectRefused(RuleLoader.load(directory: directory), directory: directory, column: 11,
                              "list file '\(listPath)' is outside the rules directory (it resolves to")
        }
    }

    @Test func allowedDomainsOutsideIsRefusedToo() throws {
        let directory = try makeRulesDirectory(["pipeline.yaml": standardPipeline + "links:\n  allowed_domains: ../../etc/passwd\n"])
        let error = try #require(RuleLoader.load(directory: directory).errors.first)
        #expect(error.location == SourceLocation(file: directory + "/pipeline.yaml", line: 4, column: 20), "\(error)")
        #expect(error.message.contains("list file '../../etc/passwd' is outside the rules directory"), "\(error)")
    }

    @Test func aRuleFileThatIsALinkToAFileOutsideIsRefused() throws {
        let directory = try makeRulesDirectory(["pipeline.yaml": standardPipeline])
        let outside = (directory as NSString).deletingLastPathComponent + "/outside-\(UUID().uuidString).yaml"
        try "stage: spam\nrules: []\n".write(toFile: outside, atomically: true, encoding: .utf8)
        try FileManager.default.createSymbolicLink(atPath: directory + "/spam.yaml", withDestinationPath: outside)
        let error = try #require(RuleLoader.load(directory: directory).errors.first)
        #expect(error.location == SourceLocation(file: directory + "/spam.yaml", line: 1, column: 1))
        #expect(error.message.hasPrefix("file is outside the rules directory (it resolves to"), "\(error)")
        #expect(RuleLoader.load(directory: directory, options: RuleLoadOptions(allowFilesOutsideRules: true)).errors == [])
    }

    @Test func aListInASubfolderOrLinkedWithinTheDirectoryIsFine() throws {
        let (directory, _) = try rulesReading("lists/deep/er/pills.txt", extra: [
            "lists/deep/er/real.txt": "viagra\n",
            "other.yaml": "stage: spam\nrules:\n  - id: other\n    description: d\n    list: ./lists/deep/../deep/er/real.txt\n    score: 1\n",
        ])
        try FileManager.default.createSymbolicLink(atPath: directory + "/lists/deep/er/pills.txt", withDestinationPath: "real.txt")
        let result = RuleLoader.load(directory: directory)
        #expect(result.errors == [])
        #expect(result.ruleSet?.rules.count == 2)
    }

    @Test func optingInReadsListsOutside() throws {
        let (directory, secret) = try rulesReading("PLACEHOLDER")
        try rewriteList(in: directory, to: secret)
        let result = RuleLoader.load(directory: directory, options: RuleLoadOptions(allowFilesOutsideRules: true))
        #expect(result.errors == [])
        let decider = Decider(ruleSet: try #require(result.ruleSet))
        #expect(decider.decide(comment("my root-password-line")).score == 5)
    }

    private func rewriteList(in directory: String, to path: String) throws {
        let file = directory + "/keywords.yaml"
        let text = try String(contentsOfFile: file, encoding: .utf8).replacingOccurrences(of: "PLACEHOLDER", with: path)
        try text.write(toFile: file, atomically: true, encoding: .utf8)
    }
}

/// Rule files and lists have a size bound (README, Security, "Bounds"), checked before parsing.
@Suite struct RuleFileSizeTests {
    @Test func aRuleFileOverTheLimitIsRefusedWithItsName() throws {
        // A valid rule file, padded with a comment past 1 MiB.
        let padding = "# " + String(repeating: "x", count: 1 << 20) + "\n"
        let directory = try makeRulesDirectory([
            "pipeline.yaml": standardPipeline,
            "spam.yaml": padding + "stage: spam\nrules:\n  - id: a\n    description: d\n    pattern: one\n    score: 1\n",
        ])
        let result = RuleLoader.load(directory: directory)
        #expect(result.ruleSet == nil)
        let error = try #require(result.errors.first)
        #expect(error.location == SourceLocation(file: directory + "/spam.yaml", line: 1, column: 1))
        #expect(error.message == "file is larger than the limit of 1 MiB (1048576 bytes) for a rule file; split it into smaller files")
    }

    @Test func aListOverTheLimitIsRefusedAtItsPath() throws {
        let directory = try makeRulesDirectory([
            "pipeline.yaml": standardPipeline,
            "lists/big.txt": String(repeating: "phrase\n", count: 200),   // 1400 bytes
            "keywords.yaml": "stage: keywords\nrules:\n  - id: k\n    description: d\n    list: lists/big.txt\n    score: 1\n",
        ])
        #expect(RuleLoadOptions().maxListFileBytes == 16 << 20)
        let small = RuleLoadOptions(maxListFileBytes: 1024)
        let error = try #require(RuleLoader.load(directory: directory, options: small).errors.first)
        #expect(error.location == SourceLocation(file: directory + "/keywords.yaml", line: 5, column: 11))
        #expect(error.message == "rule 'k': list file 'lists/big.txt' is larger than the limit of 1 KiB (1024 bytes) for a list file; split it into smaller files")
        #expect(RuleLoader.load(directory: directory, options: RuleLoadOptions(maxListFileBytes: 1400)).errors == [])
    }

    @Test func aListThatIsNotARegularFileIsRefused() throws {
        let directory = try makeRulesDirectory([
            "pipeline.yaml": standardPipeline,
            "keywords.yaml": "stage: keywords\nrules:\n  - id: k\n    description: d\n    list: lists/fifo\n    score: 1\n",
        ])
        try FileManager.default.createDirectory(atPath: directory + "/lists", withIntermediateDirectories: true)
        #expect(mkfifo(directory + "/lists/fifo", 0o600) == 0)
        let error = try #require(RuleLoader.load(directory: directory).errors.first)
        #expect(error.message == "rule 'k': list file 'lists/fifo' is not a regular file")
    }
}
