import Foundation
@testable import ModerateCore
import PCRE2
import Testing

@Suite struct TextNormalizerTests {
    @Test(arguments: [
        ("ｃｈｅａｐ ｖｉａｇｒａ．ｃｏｍ", "cheap viagra.com"),          // fullwidth forms
        ("v\u{200B}i\u{200C}a\u{2060}g\u{00AD}r\u{FEFF}a", "viagra"),  // zero-width and soft hyphens
        ("vі\u{0430}gra", "viagra"),                                   // Cyrillic і and а in a Latin word
        ("ϲasinο bonus", "casino bonus"),                               // Greek lookalikes
        ("V1AGRA and c@sino and fr33", "viagra and casino and fr33"),   // leetspeak between letters only
        ("vïágrà", "viagra"),                                          // accents
        ("&lt;a href=&quot;x&quot;&gt; &#118;&#x69;agra &amp; co", "<a href=\"x\"> viagra & co"),  // entities
        ("<b>Buy</b><i>now</i> <a href=\"http://spam.example/x\">click</a>", "buy now http://spam.example/x click"),
        ("  lots\t\tof \n\n space  ", "lots of space"),
        ("\u{202E}txet desrever\u{202C}", "txet desrever"),             // bidi controls
        ("Фильм очень трогательный", "фильм очень трогательный"),       // real Cyrillic stays Cyrillic
        ("Released in 2024 on mp3, $50", "released in 2024 on mp3, $50"),
    ])
    func seesThroughObfuscation(original: String, expected: String) {
        #expect(TextNormalizer.normalize(original).text == expected)
    }

    @Test func everyNormalisedByteMapsBackToItsOriginal() {
        let original = "Buy ｖ\u{200B}іagra &amp; more"
        let view = TextNormalizer.normalize(original)
        let normalizedBytes = Array(view.text.utf8)
        let start = view.text.range(of: "viagra")!
        let lower = view.text.utf8.distance(from: view.text.startIndex, to: start.lowerBound)
        let range = view.originalRange(of: lower..<lower + 6)
        let originalBytes = Array(original.utf8)
        #expect(String(decoding: originalBytes[range], as: UTF8.self) == "ｖ\u{200B}іagra")
        #expect(normalizedBytes.count < originalBytes.count)
        let amp = view.text.utf8.firstIndex(of: UInt8(ascii: "&"))!
        let ampOffset = view.text.utf8.distance(from: view.text.utf8.startIndex, to: amp)
        #expect(String(decoding: originalBytes[view.originalRange(of: ampOffset..<ampOffset + 1)], as: UTF8.self) == "&amp;")
    }

    @Test func invalidBytesAndHugeInputDoNotBreakIt() {
        let broken = String(decoding: [0x76, 0xFF, 0x69, 0xC3], as: UTF8.self)
        #expect(TextNormalizer.normalize(broken).text == "v\u{FFFD}i\u{FFFD}")
        let unclosed = String(repeating: "<a", count: 10_000)
        #expect(TextNormalizer.normalize(unclosed).text.count == 20_000)
    }
}

@Suite struct LinkExtractorTests {
    let session = MatchSession()

    func hosts(_ text: String, policy: LinkPolicy = LinkPolicy()) -> [String] {
        PreparedComment(comment(text), linkPolicy: policy).links(session: session).body.map(\.host)
    }

    @Test(arguments: [
        ("see https://www.Example.com/page?x=1.", ["example.com"]),
        ("visit www.cheap-pills.example", ["cheap-pills.example"]),
        ("my blog megasite.blogspot.co.uk/ is new", ["megasite.blogspot.co.uk"]),
        ("go to example dot com now", ["example.com"]),
        ("go to example(.)com or example[.]net", ["example.com", "example.net"]),
        ("ｅｘａｍｐｌｅ．ｃｏｍ and sp4m。xyz", ["example.com", "sp4m.xyz"]),
        ("<a href=\"http://hidden.example.org/x\">click here</a>", ["hidden.example.org"]),
        ("[my shop](https://shop.example.com/deal)", ["shop.example.com"]),
        ("mail me: someone@example.com", []),
        ("e.g. the U.S. version, i.e. 3.5 hours, see setup.py", []),
    ])
    func findsLinksInEveryDisguise(text: String, expected: [String]) {
        #expect(hosts(text) == expected)
    }

    @Test func flagsIPHostsPunycodeAndMixedScript() {
        let links = PreparedComment(comment("http://203.0.113.9/x http://xn--pple-43d.com pаypal.com"))
            .links(session: session).body
        #expect(links.map(\.flags) == [["ip-host"], ["punycode"], ["mixed-script"]])
        #expect(links.last?.host == "paypal.com")
    }

    @Test func allowedDomainsDoNotCount() {
        let policy = LinkPolicy(allowedDomains: ["example.org"])
        #expect(hosts("https://example.org/a https://blog.example.org/b https://notexample.org/c", policy: policy) == ["notexample.org"])
    }
}

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

@Suite struct BatchSignalTests {
    func observe(_ tracker: BatchSignalTracker, _ body: String, author: String = "a", date: String? = nil) -> BatchSignals {
        var fields: [CommentField: String] = [.author: author, .body: body]
        if let date { fields[.date] = date }
        return tracker.observe(PreparedComment(Comment(id: nil, fields: fields)))
    }

    @Test func copiesOfTheSameTextAreCountedThroughObfuscation() {
        let tracker = BatchSignalTracker(burstWindowSeconds: 600)
        #expect(observe(tracker, "Buy cheap pills now", author: "x").sameBody == 1)
        #expect(observe(tracker, "BUY  cheap ｐｉｌｌｓ now", author: "y").sameBody == 2)
        #expect(observe(tracker, "buy cheap pills now!", author: "z").sameBody == 1)
    }

    @Test func aBurstIsCountedWithinTheWindowOnly() {
        let tracker = BatchSignalTracker(burstWindowSeconds: 600)
        #expect(observe(tracker, "one", date: "2026-03-01T10:00:00Z").authorBurst == 1)
        #expect(observe(tracker, "two", date: "2026-03-01 10:04:00").authorBurst == 2)
        #expect(observe(tracker, "three", date: "2026-03-01T12:09:00+02:00").authorBurst == 3)  // 10:09 UTC
        #expect(observe(tracker, "four", date: "2026-03-01T11:00:00Z").authorBurst == 1)
        #expect(observe(tracker, "other author", author: "b", date: "2026-03-01T10:01:00Z").authorBurst == 1)
    }

    @Test func datesFromExportsAreRead() {
        #expect(CommentDate.seconds(from: "1970-01-02T00:00:00") == 86_400)
        #expect(CommentDate.seconds(from: "2014-10-01T19:53:07.387000") == 1_412_193_187)
        #expect(CommentDate.seconds(from: "yesterday") == nil)
    }
}
