import Foundation
@testable import ModerateCore
import PCRE2
import Testing

/// The fixture comments the microbenchmarks in Benchmarks/ run on.
private func fixtureComments() throws -> [ModerateCore.Comment] {
    let fixtures = repositoryRoot.appendingPathComponent("fixtures")
    return try ["film-blog.jsonl", "obfuscated-spam.jsonl"].flatMap { name in
        try String(contentsOf: fixtures.appendingPathComponent(name), encoding: .utf8).split(separator: "\n")
            .map { try JSONLineDecoder.decode(Array($0.utf8), source: name, lineNumber: 1).get().comment }
    }
}

@Suite struct HotPathTests {
    /// `prepare` works out the same texts that a comment prepared on demand gives the rules.
    @Test func prepareGivesTheViewsTheRulesSee() throws {
        let ruleSet = try #require(RuleLoader.load(directory: defaultRulesDirectory).ruleSet)
        let session = MatchSession(limits: ruleSet.limits)
        let fields = HotPath.viewFields(of: ruleSet)
        #expect(fields.contains(.normalized(.body)))
        #expect(fields.contains(.domains))
        #expect(Set(fields).count == fields.count)
        for comment in try fixtureComments() {
            let prepared = HotPath.prepare(comment, for: ruleSet, session: session)
            let onDemand = PreparedComment(comment, linkPolicy: ruleSet.linkPolicy)
            for field in fields {
                #expect(HotPath.text(of: field, in: prepared, session: session)
                        == onDemand.text(of: field, session: session))
            }
        }
    }

    /// The matcher counts what every pattern rule matches, as if no rule were skipped.
    @Test func matcherCountsEveryPatternRuleThatMatches() throws {
        let ruleSet = try #require(RuleLoader.load(directory: defaultRulesDirectory).ruleSet)
        let session = MatchSession(limits: ruleSet.limits)
        let matcher = HotPath.Matcher(ruleSet: ruleSet)
        var total = 0
        for comment in try fixtureComments() {
            let prepared = HotPath.prepare(comment, for: ruleSet, session: session)
            var expected = 0
            for rule in ruleSet.rules {
                guard let regex = rule.regex else { continue }
                for field in rule.fields {
                    guard let text = prepared.text(of: field, session: session) else { continue }
                    var bytes = text
                    let found = bytes.withUTF8 { utf8 in
                        rule.count == .all ? session.allMatches(of: regex, in: utf8).matches.count
                            : (session.firstMatch(of: regex, in: utf8) == .noMatch ? 0 : 1)
                    }
                    expected += found
                    if rule.count == .first && found > 0 { break }
                }
            }
            #expect(matcher.match(prepared) == expected, "\(comment.id)")
            #expect(matcher.match(prepared) == expected, "a second time, with the scans kept: \(comment.id)")
            total += expected
        }
        #expect(total > 0)
    }

    /// The scan finds the literals a text has, and starts afresh on each text.
    @Test func prefilterScanFindsLiteralsAndForgetsThem() throws {
        let ruleSet = try #require(RuleLoader.load(directory: defaultRulesDirectory).ruleSet)
        let scan = HotPath.PrefilterScan(prefilter: RulePrefilter(rules: ruleSet.rules))
        let spam = "best online casino bonus, free spins at http://203.0.113.7/spin"
        let found = scan.scan(spam)
        #expect(found > 1)
        #expect(scan.scan("") == 0)
        #expect(scan.scan(spam) == found)
    }
}
