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
/// the cheapest clock to read) is read first. The thread's CPU time is a system call, too
/// dear to read for every comment (2% of a run), so it is read only once the comment has
/// run `markAfterNanoseconds` on the wall clock, which ordinary comments never do: from then
/// on the budget counts that first stretch in full (as if it had all been CPU, the safe
/// side) plus the CPU time since. So other processes on a busy machine use up at most the
/// first few milliseconds of a comment's budget.
struct CommentBudget {
    let limitNanoseconds: UInt64
    static let markAfterNanoseconds: UInt64 = 10_000_000
    private let wallStart: UInt64
    /// Taken by the first check past `markAfterNanoseconds`: the thread's CPU time then, and
    /// the wall time the comment had run by then.
    private var mark: (cpu: UInt64, wallElapsed: UInt64)?

    init(milliseconds: UInt32) {
        limitNanoseconds = UInt64(milliseconds) * 1_000_000
        wallStart = Self.now(CLOCK_MONOTONIC_COARSE)
    }

    /// Whether the comment has used up its budget.
    mutating func isSpent() -> Bool {
        let wallElapsed = Self.now(CLOCK_MONOTONIC_COARSE) &- wallStart
        guard wallElapsed >= min(Self.markAfterNanoseconds, limitNanoseconds) else { return false }
        let cpu = Self.now(CLOCK_THREAD_CPUTIME_ID)
        guard let mark else {
            mark = (cpu, wallElapsed)
            return wallElapsed >= limitNanoseconds
        }
        return mark.wallElapsed &+ (cpu &- mark.cpu) >= limitNanoseconds
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
