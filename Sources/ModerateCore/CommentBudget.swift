#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import PCRE2

/// The most work one comment may cost across all rules (README, "Security"): CPU time of the
/// deciding thread, from the first rule on. The match limit bounds each rule and field; this
/// bounds their sum, so a comment built to come close to the match limit of every rule, or a
/// huge one scanned by every rule, cannot hold a thread for long. Past it, the rules not yet
/// run are skipped and the comment is held (never approved) with the reason.
///
/// It is checked before each rule. The coarse wall clock (a few milliseconds' resolution, and
/// the cheapest clock to read) is read first; only when it says the
/// budget may be spent is the thread's CPU time (a system call) read, so other processes on a
/// busy machine do not use up a comment's budget.
struct CommentBudget {
    let limitNanoseconds: UInt64
    private let wallStart: UInt64
    private let cpuStart: UInt64

    init(milliseconds: UInt32) {
        limitNanoseconds = UInt64(milliseconds) * 1_000_000
        wallStart = Self.now(CLOCK_MONOTONIC_COARSE)
        cpuStart = Self.now(CLOCK_THREAD_CPUTIME_ID)
    }

    /// Whether the comment has used up its budget.
    func isSpent() -> Bool {
        guard Self.now(CLOCK_MONOTONIC_COARSE) &- wallStart >= limitNanoseconds else { return false }
        return Self.now(CLOCK_THREAD_CPUTIME_ID) &- cpuStart >= limitNanoseconds
    }

    /// The problem recorded for the first rule the budget stopped.
    func problem(at rule: Rule) -> MatchProblem {
        MatchProblem(rule: rule.id, stage: rule.stage, field: rule.fields.first ?? .raw(.body),
                     reason: "comment regex budget of \(limitNanoseconds / 1_000_000) ms CPU exceeded (limits.comment_time_ms); this rule and the ones after it were not run")
    }

    private static func now(_ clock: clockid_t) -> UInt64 {
        var time = timespec()
        clock_gettime(clock, &time)
        return UInt64(time.tv_sec) &* 1_000_000_000 &+ UInt64(time.tv_nsec)
    }
}
