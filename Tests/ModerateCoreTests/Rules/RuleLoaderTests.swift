import Foundation
@testable import ModerateCore
import PCRE2
import Testing

@Suite struct RuleLoaderTests {
    @Test func defaultRulesLoadWithoutProblems() throws {
        let result = RuleLoader.load(directory: defaultRulesDirectory)
        #expect(result.problems == [])
        let ruleSet = try #require(result.ruleSet)
        #expect(ruleSet.stages.map(\.name) == ["allow", "spam", "links", "keywords"])
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
