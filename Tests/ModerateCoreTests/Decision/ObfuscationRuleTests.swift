import Foundation
import PCRE2
@testable import ModerateCore
import Testing

@Suite struct ObfuscationRuleTests {
    func rules(_ yaml: String, lists: [String: String] = [:], pipeline: String = standardPipeline) throws -> RuleSet {
        var files = ["pipeline.yaml": pipeline, "r.yaml": yaml]
        for (path, text) in lists { files[path] = text }
        let result = RuleLoader.load(directory: try makeRulesDirectory(files))
        return try #require(result.ruleSet, "\(result.errors)")
    }

    @Test func aNormalisedViewMatchesWhatTheRawTextHidesAndReportsTheOriginal() throws {
        let ruleSet = try rules("""
            stage: keywords
            rules:
              - id: pills
                description: Pills, however written.
                fields: [body.normalized]
                pattern: '\\bviagra\\b'
                score: 5
                examples: {match: [viagra]}
            """)
        let body = "Cheap ｖ\u{200B}і@gra here"
        let moderation = Decider(ruleSet: ruleSet).decide(comment(body))
        let hit = try #require(moderation.fired.first?.hits.first)
        #expect(hit.field == .normalized(.body))
        #expect(hit.text == "ｖ\u{200B}і@gra")
        #expect(hit.normalizedText == "viagra")
        #expect(Array(Array(body.utf8)[hit.start..<hit.end]) == Array(hit.text.utf8))
    }

    @Test func domainListsMatchDomainsAndTheirSubdomainsOnly() throws {
        let ruleSet = try rules("""
            stage: links
            rules:
              - id: shorteners
                description: URL shorteners.
                fields: [domains]
                list: lists/shorteners.txt
                match_domains: true
                score: 4
                examples: {match: [bit.ly]}
            """, lists: ["lists/shorteners.txt": "bit.ly\ngoo.gl\n"])
        let decider = Decider(ruleSet: ruleSet)
        #expect(decider.decide(comment("free: bit . ly/abc")).score == 4)  // a spaced dot is a dot
        #expect(decider.decide(comment("free: bit-ly/abc")).score == 0)
        #expect(decider.decide(comment("free: http://bit.ly/abc")).score == 4)
        #expect(decider.decide(comment("free: m.bit.ly/abc")).score == 4)
        #expect(decider.decide(comment("free: notbit.ly/abc")).score == 0)
        #expect(decider.decide(comment("free: goo dot gl/abc")).score == 4)
    }

    @Test func linkCountSignalHoldsALinkPile() throws {
        let ruleSet = try rules("""
            stage: links
            rules:
              - id: link-pile
                description: Three links or more.
                signal: links
                at_least: 3
                action: hold
            """)
        let decider = Decider(ruleSet: ruleSet)
        #expect(decider.decide(comment("a.example.com b.example.com")).decision == .approve)
        let held = decider.decide(comment("a.example.com b.example.com www.c.example.com"))
        #expect(held.decision == .hold)
        #expect(held.fired.first?.hits.first?.text == "links = 3")
    }

    @Test func knownAuthorsSkipHoldRulesButNeverRejectRules() throws {
        let ruleSet = try rules("""
            stage: spam
            rules:
              - id: many-links
                description: Links hold, unless the author is known.
                pattern: 'https?://'
                action: hold
                skip_for_known_authors: true
                examples: {match: ['http://']}
              - id: pills
                description: Pills always reject.
                pattern: viagra
                action: reject
                examples: {match: [viagra]}
            """)
        let decider = Decider(ruleSet: ruleSet)
        let known = BatchSignals(knownAuthor: true)
        #expect(decider.decide(PreparedComment(comment("see http://x.example"), signals: known)).decision == .approve)
        #expect(decider.decide(PreparedComment(comment("see http://x.example"))).decision == .hold)
        #expect(decider.decide(PreparedComment(comment("viagra http://x.example"), signals: known)).decision == .reject)
    }

    @Test func aRejectRuleCannotBeSkippedForKnownAuthors() throws {
        let directory = try makeRulesDirectory(["pipeline.yaml": standardPipeline, "r.yaml": """
            stage: spam
            rules:
              - id: pills
                description: d
                pattern: viagra
                action: reject
                skip_for_known_authors: true
            """])
        let errors = RuleLoader.load(directory: directory).errors
        #expect(errors.contains { $0.message.contains("known authors cannot skip it") && $0.location.line == 7 })
    }
}
