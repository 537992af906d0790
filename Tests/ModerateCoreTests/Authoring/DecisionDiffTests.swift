import PCRE2
@testable import ModerateCore
import Testing

@Suite struct DecisionDiffTests {
    @Test func groupsChangedDecisionsAndNamesTheRulesThatMoved() throws {
        let old = Decider(ruleSet: ruleSet([
            try rule("spam.a", stage: "spam", pattern: "buy", score: 3),
            try rule("spam.gone", stage: "spam", pattern: "cheap", score: 4),
        ]))
        let new = Decider(ruleSet: ruleSet([
            try rule("spam.a", stage: "spam", pattern: "buy", score: 1),
            try rule("links.new", stage: "links", pattern: "http", action: .reject),
        ]))
        var diff = DecisionDiff()
        for (index, body) in ["buy now", "cheap buy", "see http://x", "hello"].enumerated() {
            let text = comment(body)
            diff.add(commentID: "c\(index)", origin: "t:\(index + 1)", old: old.decide(text), new: new.decide(text))
        }
        #expect(diff.compared == 4)
        #expect(diff.groups.map { "\($0.from.rawValue)>\($0.to.rawValue):\($0.changes.map(\.commentID))" }
                == ["hold>approve:[\"c0\"]", "reject>approve:[\"c1\"]", "approve>reject:[\"c2\"]"])
        let cheap = diff.changes[1]
        #expect(cheap.noLongerFiring == ["spam.gone"])
        #expect(cheap.nowFiring == [])
        #expect(cheap.scoreChanges.map(\.rule) == ["spam.a"])
        #expect(diff.changes[2].nowFiring == ["links.new"])
    }
}
