@testable import ModerateCore
import PCRE2
import Testing

@Suite struct DeciderTests {
    @Test func noRuleFiringApproves() throws {
        let decider = Decider(ruleSet: ruleSet([try rule("s", stage: "spam", pattern: "viagra", score: 5)]))
        let moderation = decider.decide(comment("A lovely film."))
        #expect(moderation.decision == .approve)
        #expect(moderation.reason == .noRuleDecided)
        #expect(moderation.fired.isEmpty)
        #expect(moderation.stagesRun == ["allow", "spam", "links", "keywords"])
    }

    @Test func explanationNamesRuleFieldMatchedTextAndByteOffsets() throws {
        let decider = Decider(ruleSet: ruleSet([
            try rule("spam.pills", stage: "spam", pattern: "vi[a@]gra", score: 4, fields: [.raw(.author), .raw(.body)]),
        ]))
        let moderation = decider.decide(comment("Cheap VIAGRA here", [.author: "Café owner"]))
        #expect(moderation.decision == .hold)
        #expect(moderation.reason == .score(threshold: 3))
        #expect(moderation.rule == "spam.pills")
        let hit = try #require(moderation.fired.first?.hits.first)
        #expect(hit == RuleHit(rule: "spam.pills", stage: "spam", field: .raw(.body), start: 6, end: 12, text: "VIAGRA"))
    }

    @Test func scoresAddUpAcrossStagesAndThresholdsDecide() throws {
        let rules = [
            try rule("a", stage: "spam", pattern: "free", score: 2),
            try rule("b", stage: "links", pattern: "http", score: 2),
            try rule("c", stage: "keywords", pattern: "casino", score: 4),
        ]
        let decider = Decider(ruleSet: ruleSet(rules))
        #expect(decider.decide(comment("free")).decision == .approve)
        #expect(decider.decide(comment("free http")).decision == .hold)
        let rejected = decider.decide(comment("free http casino"))
        #expect(rejected.decision == .reject)
        #expect(rejected.score == 8)
        #expect(rejected.rule == "c")  // the rule that added most
    }

    @Test func reachingTheRejectThresholdStopsThePipeline() throws {
        let rules = [
            try rule("big", stage: "spam", pattern: "spam", score: 7),
            try rule("later", stage: "links", pattern: "spam", score: 1),
        ]
        let moderation = Decider(ruleSet: ruleSet(rules)).decide(comment("spam"))
        #expect(moderation.decision == .reject)
        #expect(moderation.stage == "spam")
        #expect(moderation.stagesRun == ["allow", "spam"])
        #expect(moderation.fired.map(\.rule) == ["big"])
    }

    @Test func firstStageWithAnActionDecidesAndLaterStagesDoNotRun() throws {
        let rules = [
            try rule("hold.me", stage: "spam", pattern: "channel", action: .hold),
            try rule("reject.me", stage: "keywords", pattern: "channel", action: .reject),
        ]
        let moderation = Decider(ruleSet: ruleSet(rules)).decide(comment("my channel"))
        #expect(moderation.decision == .hold)
        #expect(moderation.reason == .action(rule: "hold.me", stage: "spam"))
        #expect(moderation.stagesRun == ["allow", "spam"])
    }

    @Test func mostSevereActionInAStageWinsAndEveryFiredRuleIsKept() throws {
        let rules = [
            try rule("approve.me", stage: "spam", pattern: "film", action: .approve),
            try rule("reject.me", stage: "spam", pattern: "casino", action: .reject),
            try rule("score.me", stage: "spam", pattern: "film", score: 1),
        ]
        let moderation = Decider(ruleSet: ruleSet(rules)).decide(comment("film casino"))
        #expect(moderation.decision == .reject)
        #expect(moderation.rule == "reject.me")
        #expect(moderation.fired.map(\.rule) == ["approve.me", "reject.me", "score.me"])
    }

    @Test func approveInAnEarlierStageOverridesLaterRulesAndTheScore() throws {
        let rules = [
            try rule("allow.staff", stage: "allow", pattern: "@example\\.org$", action: .approve, fields: [.raw(.authorEmail)]),
            try rule("spam.casino", stage: "spam", pattern: "casino", action: .reject),
        ]
        let decider = Decider(ruleSet: ruleSet(rules))
        let staff = decider.decide(comment("casino night recap", [.authorEmail: "ed@example.org"]))
        #expect(staff.decision == .approve)
        #expect(staff.reason == .action(rule: "allow.staff", stage: "allow"))
        #expect(decider.decide(comment("casino night recap", [.authorEmail: "x@spam.test"])).decision == .reject)
    }

    @Test func countAllScoresEveryMatch() throws {
        let rules = [try rule("links", stage: "links", pattern: "https?://", score: 2, count: .all)]
        let moderation = Decider(ruleSet: ruleSet(rules)).decide(comment("http://a http://b https://c"))
        #expect(moderation.score == 6)
        #expect(moderation.fired.first?.matchCount == 3)
        #expect(moderation.fired.first?.hits.map(\.start) == [0, 9, 18])
    }

    @Test func aRuleThatHitsTheMatchLimitHoldsTheCommentWithTheReason() throws {
        let rules = [try rule("slow", stage: "spam", pattern: "(a+)+$", score: 1)]
        let limits = MatchLimits(matchLimit: 10_000)
        let moderation = Decider(ruleSet: ruleSet(rules, limits: limits))
            .decide(comment(String(repeating: "a", count: 10_000) + "b"))
        #expect(moderation.decision == .hold)
        #expect(moderation.reason == .matchProblem(rule: "slow", stage: "spam"))
        #expect(moderation.problems == [MatchProblem(rule: "slow", stage: "spam", field: .raw(.body), reason: "match limit exceeded")])
    }

    @Test func aMatchLimitNeverSoftensARejection() throws {
        let rules = [
            try rule("slow", stage: "spam", pattern: "(a+)+$", score: 1),
            try rule("pills", stage: "spam", pattern: "viagra", action: .reject),
        ]
        let moderation = Decider(ruleSet: ruleSet(rules, limits: MatchLimits(matchLimit: 10_000)))
            .decide(comment("viagra " + String(repeating: "a", count: 10_000) + "b"))
        #expect(moderation.decision == .reject)
        #expect(moderation.problems.count == 1)
    }

    @Test func longMatchedTextIsCutButOffsetsStayExact() throws {
        let body = String(repeating: "é", count: 1_000)
        let moderation = Decider(ruleSet: ruleSet([try rule("all", stage: "spam", pattern: ".+", score: 1)]))
            .decide(comment(body))
        let hit = try #require(moderation.fired.first?.hits.first)
        #expect(hit.end == 2_000)
        #expect(hit.text.utf8.count <= RuleHit.maximumTextBytes)
        #expect(hit.text.allSatisfy { $0 == "é" })
    }
}

/// The learned stage inside the decider: after the rules, its score added to theirs.
@Suite struct DeciderLearnedStageTests {
    func learnedRuleSet(_ rules: [Rule] = []) -> RuleSet {
        let model = TokenModel()
        for n in 0..<20 {
            model.learn(id: "s\(n)", tokens: ["jackpot", "casino", "spin\(n)"], isSpam: true)
            model.learn(id: "h\(n)", tokens: ["film", "scene", "take\(n)"], isSpam: false)
        }
        let stage = LearnedStage(model: model, modelPath: "learned.model")
        return RuleSet(stages: [Stage(name: "spam", rules: rules.filter { $0.stage == "spam" }),
                                Stage(name: "learned", rules: [], learned: stage)],
                       thresholds: Thresholds(hold: 3, reject: 7), fingerprint: "sha256:test")
    }

    @Test func aSpammyCommentIsRejectedWithTheTokensThatCarriedIt() throws {
        let moderation = Decider(ruleSet: learnedRuleSet()).decide(comment("Jackpot at the casino tonight"))
        #expect(moderation.decision == .reject)
        #expect(moderation.rule == LearnedStage.spamRuleID)
        let verdict = try #require(moderation.learned)
        #expect(verdict.probability > 0.9)
        let fired = try #require(moderation.fired.first { $0.rule == LearnedStage.spamRuleID })
        #expect(fired.stage == "learned" && fired.score == 7)
        #expect(Set(fired.hits.map { String($0.text.split(separator: " ")[0]) }) == ["jackpot", "casino"])
        #expect(fired.hits.allSatisfy { $0.field == .tokens })
    }

    @Test func aHamCommentGetsNoScoreButItsProbabilityIsKept() throws {
        let moderation = Decider(ruleSet: learnedRuleSet()).decide(comment("What a film, that last scene"))
        #expect(moderation.decision == .approve)
        #expect(moderation.fired.isEmpty)
        #expect(try #require(moderation.learned).probability < 0.1)
    }

    @Test func anUnknownCommentIsUnsureAndHeld() {
        let moderation = Decider(ruleSet: learnedRuleSet()).decide(comment("Nothing either side knows"))
        #expect(moderation.decision == .hold)
        #expect(moderation.rule == LearnedStage.unsureRuleID)
    }

    @Test func aRuleActionDecidesBeforeTheLearnedStageRuns() throws {
        let approve = try rule("spam.trusted", stage: "spam", pattern: "jackpot", action: .approve)
        let moderation = Decider(ruleSet: learnedRuleSet([approve])).decide(comment("Jackpot at the casino"))
        #expect(moderation.decision == .approve)
        #expect(moderation.learned == nil)
        #expect(moderation.stagesRun == ["spam"])
    }

    @Test func aRuleScoreAndTheUnsureScoreAddUp() throws {
        let nudge = try rule("spam.nudge", stage: "spam", pattern: "either", score: 4)
        let moderation = Decider(ruleSet: learnedRuleSet([nudge])).decide(comment("Nothing either side knows"))
        #expect(moderation.score == 7)
        #expect(moderation.decision == .reject)
    }
}

extension DeciderLearnedStageTests {
    @Test func aSpamActionOfHoldHoldsButNeverAddsToAReject() throws {
        var ruleSet = learnedRuleSet([try rule("spam.nudge", stage: "spam", pattern: "tonight", score: 4)])
        var stages = ruleSet.stages
        stages[1].learned?.spamAction = .hold
        ruleSet = RuleSet(stages: stages, thresholds: ruleSet.thresholds, fingerprint: ruleSet.fingerprint)
        let moderation = Decider(ruleSet: ruleSet).decide(comment("Jackpot at the casino tonight"))
        #expect(moderation.decision == .hold)
        #expect(moderation.score == 4)
        #expect(moderation.reason == .action(rule: LearnedStage.spamRuleID, stage: "learned"))
    }
}

/// `spam_at_least: hold`: the learned stage's spam score adds to the rules', and the comment is
/// held at least, so the stage rejects only together with the rules.
extension DeciderLearnedStageTests {
    func atLeastHoldRuleSet(_ rules: [Rule], spamScore: Double) -> RuleSet {
        let ruleSet = learnedRuleSet(rules)
        var stages = ruleSet.stages
        stages[1].learned?.spamAtLeast = .hold
        stages[1].learned?.spamScore = spamScore
        return RuleSet(stages: stages, thresholds: ruleSet.thresholds, fingerprint: ruleSet.fingerprint)
    }

    @Test func aloneTheStageHoldsWhereItsScoreWouldNot() throws {
        let moderation = Decider(ruleSet: atLeastHoldRuleSet([], spamScore: 2)).decide(comment("Jackpot at the casino"))
        #expect(moderation.score == 2)
        #expect(moderation.decision == .hold)
        #expect(moderation.reason == .action(rule: LearnedStage.spamRuleID, stage: "learned"))
    }

    /// With a rule's 5 the stage's 2 reaches the reject threshold 7; with a rule's 4 it stays held.
    @Test(arguments: [(5.0, 7.0, Action.reject), (4.0, 6.0, Action.hold)])
    func withTheRulesScoreItRejectsAtTheThresholdOnly(ruleScore: Double, total: Double, decision: Action) throws {
        let nudge = try rule("spam.nudge", stage: "spam", pattern: "tonight", score: ruleScore)
        let moderation = Decider(ruleSet: atLeastHoldRuleSet([nudge], spamScore: 2))
            .decide(comment("Jackpot at the casino tonight"))
        #expect(moderation.score == total)
        #expect(moderation.decision == decision)
    }

    @Test func hamIsNotHeldByTheFloor() throws {
        let moderation = Decider(ruleSet: atLeastHoldRuleSet([], spamScore: 2)).decide(comment("What a film, that last scene"))
        #expect(moderation.decision == .approve)
        #expect(moderation.fired.isEmpty)
    }
}
