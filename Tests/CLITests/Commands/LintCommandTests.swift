import Foundation
import Testing

@Suite(.serialized) struct LintCommandTests {
    @Test func warnsAboutEachKindOfMistakeWithItsPlaceAndExitsZero() throws {
        let result = try Moderate.run(["lint", "--rules", "fixtures/lint-rules"])
        #expect(result.status == 0, "\(result.stdout)")
        let lines = result.stdout.split(separator: "\n").map(String.init)
        func expectWarning(_ prefix: String, _ text: String) {
            #expect(lines.contains { $0.hasPrefix("fixtures/lint-rules/\(prefix): warning: ") && $0.contains(text) },
                    "\(prefix) \(text)\n\(result.stdout)")
        }
        expectWarning("allow.yaml:3:5", "rule 'allow.everyone': the pattern matches the empty string")
        expectWarning("spam.yaml:3:5", "rule 'spam.channel': can never run: rule 'allow.everyone'")
        expectWarning("spam.yaml:10:5", "duplicate of rule 'spam.channel' (fixtures/lint-rules/spam.yaml:3:5)")
        expectWarning("spam.yaml:17:5", "nested quantifiers in '(\\w+\\s?)+'")
        expectWarning("spam.yaml:24:5", "nested quantifiers in '(.*,){5}'")
        expectWarning("keywords.yaml:3:5", "fires inside common words: 'specialist' (cialis), 'pillow' (pill); set whole_words: true")
        expectWarning("keywords.yaml:11:5", "fires inside common words: 'learn' (earn)")
        expectWarning("keywords.yaml:18:5", "can never decide: rule 'spam.channel' (fixtures/lint-rules/spam.yaml:3:5)")
        #expect(result.stdout.contains("14 warning(s)"))
    }

    @Test func theShippedRulesHaveNoWarnings() throws {
        let result = try Moderate.run(["lint", "--rules", "rules"])
        #expect(result.status == 0)
        #expect(!result.stdout.contains("warning:"), "\(result.stdout)")
        #expect(result.stdout.contains("0 warning(s)"))
    }

    /// A `list:` that leads out of the rules directory is a rule error (exit 2), and
    /// `--literals` prints nothing of the file it names.
    @Test func aListOutsideTheRulesDirectoryIsRefusedAndNotPrinted() throws {
        let scratch = try scratchDirectory()
        let rules = scratch.appendingPathComponent("rules")
        try FileManager.default.createDirectory(at: rules, withIntermediateDirectories: true)
        try "stages: [keywords]\n".write(to: rules.appendingPathComponent("pipeline.yaml"), atomically: true, encoding: .utf8)
        try "shadow-line-one\nshadow-line-two\n".write(to: scratch.appendingPathComponent("shadow"), atomically: true, encoding: .utf8)
        try """
            stage: keywords
            rules:
              - id: k
                description: Reads a file outside.
                list: ../shadow
                score: 1
            """.write(to: rules.appendingPathComponent("k.yaml"), atomically: true, encoding: .utf8)
        let result = try Moderate.run(["lint", "--literals", "--rules", rules.path])
        #expect(result.status == 2, "\(result.stdout)")
        #expect(result.stdout.contains("k.yaml:5:11: error: rule 'k': list file '../shadow' is outside the rules directory"),
                "\(result.stdout)")
        #expect(result.stdout.contains("; pass --allow-files-outside-rules to read it anyway"), "\(result.stdout)")
        #expect(!(result.stdout + result.stderr).contains("shadow-line"))
        // Opting in reads it (and so prints its phrases as the rule's literals).
        let allowed = try Moderate.run(["lint", "--literals", "--allow-files-outside-rules", "--rules", rules.path])
        #expect(allowed.status == 0, "\(allowed.stdout)")
        #expect(allowed.stdout.contains("shadow-line-one"))
    }
}
