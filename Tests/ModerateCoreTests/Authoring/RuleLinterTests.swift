import PCRE2
@testable import ModerateCore
import Testing

@Suite struct RuleLinterTests {
    func lint(_ rules: [Rule], words: [String] = CommonWords.all) -> [String] {
        RuleLinter(ruleSet: ruleSet(rules), commonWords: words).warnings().map(\.message)
    }

    @Test func aRuleThatAlwaysDecidesEarlyMakesLaterStagesUnreachable() throws {
        let messages = lint([
            try rule("allow.all", stage: "allow", pattern: "x*", action: .approve),
            try rule("spam.a", stage: "spam", pattern: "\\bviagra\\b", score: 5),
        ])
        #expect(messages.contains { $0.hasPrefix("rule 'allow.all': the pattern matches the empty string") })
        #expect(messages.contains { $0.hasPrefix("rule 'spam.a': can never run: rule 'allow.all'") })
    }

    @Test func anEmptyMatchOnlyScoringLowDoesNotBlockLaterStages() throws {
        let messages = lint([
            try rule("spam.weak", stage: "spam", pattern: "\\b", score: 1),
            try rule("links.a", stage: "links", pattern: "\\bhttp\\b", score: 1),
        ])
        #expect(messages == ["rule 'spam.weak': the pattern matches the empty string, so it fires on every comment that has body; make something in it required"])
    }

    @Test func duplicatesAndShadowedRules() throws {
        let messages = lint([
            try rule("spam.a", stage: "spam", pattern: "\\bfree money\\b", action: .reject),
            try rule("spam.b", stage: "spam", pattern: "\\bfree money\\b", action: .hold),
            try rule("spam.c", stage: "spam", pattern: "\\bfree money\\b", score: 2, fields: [.raw(.author)]),
            try rule("keywords.d", stage: "keywords", pattern: "\\bfree money\\b", score: 3),
            // Different options: not the same match.
            try rule("keywords.e", stage: "keywords", pattern: "\\bfree money\\b", score: 3, options: []),
        ])
        // spam.c looks at another field and keywords.e matches case-sensitively: neither is covered.
        #expect(messages.count == 2, "\(messages)")
        #expect(messages[0].hasPrefix("rule 'spam.b': duplicate of rule 'spam.a' (test.yaml:1:1)"))
        #expect(messages[0].hasSuffix("it can never decide: the other rule's action reject wins over hold"))
        #expect(messages[1].hasPrefix("rule 'keywords.d': can never decide: rule 'spam.a'"))
    }

    @Test func keywordsInsideCommonWordsButNotWithBoundariesOrOnURLs() throws {
        let messages = lint([
            try rule("keywords.cialis", stage: "keywords", pattern: "cialis", score: 4),
            try rule("keywords.bounded", stage: "keywords", pattern: "\\bcialis\\b", score: 4),
            try rule("links.shop", stage: "links", pattern: "cialis", score: 4, fields: [.raw(.authorURL)]),
        ], words: ["hello", "specialist", "cialis"])
        #expect(messages == ["rule 'keywords.cialis': fires inside common words: 'specialist' (cialis); add \\b around the keyword"])
    }

    @Test func theShippedRulesAreClean() throws {
        let ruleSet = try #require(RuleLoader.load(directory: defaultRulesDirectory).ruleSet)
        #expect(RuleLinter(ruleSet: ruleSet).warnings().map(\.description) == [])
    }
}
