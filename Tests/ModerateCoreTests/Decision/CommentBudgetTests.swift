import Foundation
import Testing
@testable import ModerateCore
import PCRE2

/// README "Security": the most regex work one comment may cost, across all rules.
struct CommentBudgetTests {
    @Test func aCommentOverItsRegexBudgetIsHeldNeverApproved() throws {
        // Each rule backtracks to the match limit (about a millisecond and a half); twenty of
        // them are far over a 1 ms budget, so the budget stops the rules before the end.
        let slow = try (0..<20).map { try rule("spam.slow\($0)", stage: "spam", pattern: "(a+)+$", score: 0.1) }
        let approve = try rule("keywords.approve", stage: "keywords", pattern: "a", action: .approve)
        var limits = MatchLimits.standard
        limits.commentTimeMilliseconds = 1
        let decider = Decider(ruleSet: ruleSet(slow + [approve], limits: limits))
        let moderation = decider.decide(comment(String(repeating: "a", count: 40_000) + "b"))
        #expect(moderation.decision == .hold)
        let budgetProblem = try #require(moderation.problems.first { $0.reason.contains("comment regex budget of 1 ms") })
        #expect(budgetProblem.rule != "spam.slow0")
        #expect(!moderation.stagesRun.contains("keywords"))
        #expect(QueueRecord.reasonText(moderation).contains("held, not approved"))
    }

    /// Waiting (another process has the core) costs at most the stretch before the CPU clock
    /// is first read; working costs in full.
    @Test func theBudgetCountsCPUTimeNotWaiting() {
        var budget = CommentBudget(milliseconds: 300)
        var spent = budget.isSpent()
        #expect(!spent)
        usleep(30_000)
        spent = budget.isSpent()
        #expect(!spent)   // the first stretch, ~30 ms, counted as spent
        usleep(400_000)
        spent = budget.isSpent()
        #expect(!spent, "430 ms of wall time, but almost no CPU time")
        let start = Self.threadCPUNanoseconds()
        while Self.threadCPUNanoseconds() - start < 300_000_000 {}
        spent = budget.isSpent()
        #expect(spent, "~30 ms before the mark and 300 ms of CPU since: over 300 ms")
    }

    static func threadCPUNanoseconds() -> UInt64 {
        var time = timespec()
        clock_gettime(CLOCK_THREAD_CPUTIME_ID, &time)
        return UInt64(time.tv_sec) * 1_000_000_000 + UInt64(time.tv_nsec)
    }

    @Test func theDefaultBudgetLeavesOrdinaryCommentsAlone() throws {
        let decider = Decider(ruleSet: try #require(RuleLoader.load(directory: defaultRulesDirectory).ruleSet))
        let moderation = decider.decide(comment(String(repeating: "A lovely film, thank you. ", count: 2000)))
        #expect(!moderation.problems.contains { $0.reason.contains("budget") })
    }

    @Test func commentTimeIsSetInThePipeline() throws {
        let good = try makeRulesDirectory(["pipeline.yaml": standardPipeline + "limits: {comment_time_ms: 250}\n"])
        #expect(RuleLoader.load(directory: good).ruleSet?.limits.commentTimeMilliseconds == 250)
        let bad = try makeRulesDirectory(["pipeline.yaml": standardPipeline + "limits: {comment_time_ms: 0}\n"])
        #expect(RuleLoader.load(directory: bad).errors.first?.description.contains("comment_time_ms must be between") == true)
        #expect(MatchLimits.standard.commentTimeMilliseconds == 2000)
    }

    @Test func countAllStopsCountingAtTenThousandMatchesPerField() throws {
        let every = try rule("spam.every", stage: "spam", pattern: "x", score: 0.001, count: .all)
        let moderation = Decider(ruleSet: ruleSet([every])).decide(comment(String(repeating: "x", count: 50_000)))
        #expect(moderation.fired.first?.matchCount == Decider.maximumCounted)
    }
}
