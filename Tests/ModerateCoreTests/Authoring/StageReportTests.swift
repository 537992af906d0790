import PCRE2
@testable import ModerateCore
import Testing

@Suite struct StageReportTests {
    @Test func snippetKeepsContextOnCharacterBoundariesAndFlattensLines() {
        let text = "Première ligne\nthen buy viagra now, très cher"
        let start = Array(text.utf8).count - " now, très cher".utf8.count - 6
        let snippet = HitSnippet.around(text, start: start, end: start + 6, context: 12)
        #expect(snippet.match == "viagra")
        #expect(snippet.before == "ne then buy ")  // 12 bytes; the line break is a space
        #expect(snippet.after == " now, très ")  // è is two bytes
        #expect(snippet.cutBefore && snippet.cutAfter)
        let whole = HitSnippet.around("viagra", start: 0, end: 6)
        #expect(!whole.cutBefore && !whole.cutAfter && whole.before.isEmpty)
    }

    @Test func stageReportsSayWhereTheDecisionWasMadeAndWhatDidNotRun() throws {
        let set = ruleSet([
            try rule("spam.a", stage: "spam", pattern: "buy", score: 2),
            try rule("links.b", stage: "links", pattern: "http", action: .hold),
            try rule("keywords.c", stage: "keywords", pattern: "buy", score: 9),
        ])
        let moderation = Decider(ruleSet: set).decide(comment("buy at http://x"))
        let reports = StageReport.reports(for: moderation, in: set)
        #expect(reports.map(\.stage) == ["allow", "spam", "links", "keywords"])
        #expect(reports.map(\.outcome) == [.passed, .passed, .decided, .notRun(decidedIn: "links")])
        #expect(reports.map(\.scoreAfter) == [0, 2, 2, 2])
        #expect(reports[1].fired.map(\.rule) == ["spam.a"])
    }
}
