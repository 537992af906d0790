import PCRE2
@testable import ModerateCore
import Testing

@Suite struct EvaluationTests {
    func input(_ json: String) -> InputComment {
        InputComment(comment: comment("x"), source: "t", line: 1, originalJSON: Array(json.utf8))
    }

    @Test func labelsFromStringsNumbersAndBooleans() throws {
        let spec = try #require(LabelSpec(argument: "label"))
        #expect(spec.isSpam(input(#"{"body":"x","label":"1"}"#)) == true)
        #expect(spec.isSpam(input(#"{"body":"x","label":1}"#)) == true)
        #expect(spec.isSpam(input(#"{"body":"x","label":true}"#)) == true)
        #expect(spec.isSpam(input(#"{"body":"x","label":" SPAM "}"#)) == true)
        #expect(spec.isSpam(input(#"{"body":"x","label":"0"}"#)) == false)
        #expect(spec.isSpam(input(#"{"body":"x","label":false}"#)) == false)
        #expect(spec.isSpam(input(#"{"body":"x","label":""}"#)) == nil)
        #expect(spec.isSpam(input(#"{"body":"x"}"#)) == nil)
        let custom = try #require(LabelSpec(argument: "class=junk"))
        #expect(custom.field == "class")
        #expect(custom.isSpam(input(#"{"body":"x","class":"Junk"}"#)) == true)
        #expect(custom.isSpam(input(#"{"body":"x","class":"1"}"#)) == false)
        #expect(LabelSpec(argument: "=spam") == nil)
        #expect(LabelSpec(argument: "label=") == nil)
    }

    @Test func countsDecisionsByLabelAndRuleHits() throws {
        let set = ruleSet([
            try rule("spam.a", stage: "spam", pattern: "buy", score: 3),
            try rule("spam.never", stage: "spam", pattern: "zzz", score: 3),
        ])
        let decider = Decider(ruleSet: set)
        var evaluation = Evaluation(ruleSet: set)
        evaluation.add(decider.decide(comment("buy now")), isSpam: true)
        evaluation.add(decider.decide(comment("buy a ticket")), isSpam: false)
        evaluation.add(decider.decide(comment("hello")), isSpam: true)
        evaluation.add(decider.decide(comment("buy")), isSpam: nil)
        #expect(evaluation.count(.hold, spam: true) == 1)
        #expect(evaluation.count(.hold, spam: false) == 1)
        #expect(evaluation.count(.approve, spam: true) == 1)
        #expect(evaluation.labelled == 3)
        #expect(evaluation.unlabelled == 1)
        #expect(evaluation.rules[0] == RuleEvaluation(rule: "spam.a", stage: "spam", spamHits: 1, hamHits: 1))
        #expect(evaluation.rules[0].precision == 0.5)
        #expect(evaluation.rules[1].precision == nil)
        #expect(evaluation.neverFired == ["spam.never"])
    }
}
