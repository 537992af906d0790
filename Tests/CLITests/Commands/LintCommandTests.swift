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
}
