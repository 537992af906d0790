import PCRE2

/// Decides comments: a pure function of the comment and the rule set. It owns the
/// per-thread match state, so give each thread its own `Decider` over the shared `RuleSet`.
///
/// The rules of decision (README, "How a decision is made"):
/// 1. Stages run in the pipeline's order. In a stage every rule runs, on each of its fields,
///    and every rule that fires is kept; its score (times its matches with `count: all`)
///    is added to the comment's total.
/// 2. If any rule with an action fired in the stage, the stage decides: the most severe action
///    fired there wins (reject, then hold, then approve) and no later stage runs. An approve
///    therefore overrides every later stage and the score.
/// 3. Otherwise, if the total has reached the reject threshold, the comment is rejected and no
///    later stage runs.
/// 4. After the last stage: total at or over reject: reject; at or over hold: hold; else approve.
/// 5. If any rule could not be checked (match limit), an approve becomes hold: a comment that
///    was not fully checked is never approved.
public final class Decider {
    public let ruleSet: RuleSet
    /// Which rules can be skipped on a text, from one scan for every rule's required literals.
    /// Built here, with the rest of the deciding state, so that rules know nothing of it.
    public let prefilter: RulePrefilter
    private let session: MatchSession

    public init(ruleSet: RuleSet) {
        self.ruleSet = ruleSet
        prefilter = RulePrefilter(rules: ruleSet.rules)
        session = MatchSession(limits: ruleSet.limits)
    }

    /// A decider for another thread: over `ruleSet.copyForAnotherThread()`, with a copy of
    /// this one's prefilter (the copied rules require the same literals), not a new one.
    public func forAnotherThread() -> Decider {
        Decider(ruleSet: ruleSet.copyForAnotherThread(), prefilter: prefilter.copyForAnotherThread())
    }

    private init(ruleSet: RuleSet, prefilter: RulePrefilter) {
        self.ruleSet = ruleSet
        self.prefilter = prefilter
        session = MatchSession(limits: ruleSet.limits)
    }

    /// Decides a comment on its own, without batch signals.
    public func decide(_ comment: Comment) -> Moderation {
        decide(PreparedComment(comment, linkPolicy: ruleSet.linkPolicy))
    }

    public func decide(_ prepared: PreparedComment) -> Moderation {
        let comment = prepared.comment
        var fired: [FiredRule] = []
        var problems: [MatchProblem] = []
        var stagesRun: [String] = []
        var score = 0.0
        var outcome: (decision: Action, reason: DecisionReason, stage: String?, rule: String?)?
        var verdict: LearnedVerdict?
        var floor: (action: Action, stage: String)?   // the learned stage's `spam_at_least`

        var budget = CommentBudget(milliseconds: ruleSet.limits.commentTimeMilliseconds)
        var budgetSpent = false
        var ordinal = -1   // the rule's place in `ruleSet.rules`, for the prefilter
        for stage in ruleSet.stages {
            stagesRun.append(stage.name)
            var firedHere: [FiredRule] = []
            for rule in stage.rules {
                ordinal += 1
                if rule.skipForKnownAuthors && prepared.signals.knownAuthor { continue }
                if budget.isSpent() {
                    // README "Security": past the comment's budget no rule runs; rule 5 holds it.
                    problems.append(budget.problem(at: rule))
                    budgetSpent = true
                    break
                }
                if let result = evaluate(rule, at: ordinal, on: prepared, problems: &problems) { firedHere.append(result) }
            }
            if let learned = stage.learned, !budgetSpent {
                let judged = judge(prepared, with: learned, in: stage.name)
                verdict = judged.verdict
                if let fired = judged.fired {
                    firedHere.append(fired)
                    if fired.rule == LearnedStage.spamRuleID, let least = learned.spamAtLeast { floor = (least, stage.name) }
                }
            }
            score += firedHere.reduce(0) { $0 + $1.score }
            fired += firedHere

            if let strongest = firedHere.compactMap(\.action).max() {
                let decider = firedHere.first { $0.action == strongest }!
                outcome = (strongest, .action(rule: decider.rule, stage: stage.name), stage.name, decider.rule)
                break
            }
            if score >= ruleSet.thresholds.reject {
                outcome = (.reject, .score(threshold: ruleSet.thresholds.reject), stage.name, topScorer(fired))
                break
            }
            if budgetSpent { break }
        }

        var result = outcome ?? endOfPipeline(score: score, fired: fired, lastStage: stagesRun.last)
        if let floor, result.decision < floor.action {
            result = (floor.action, .action(rule: LearnedStage.spamRuleID, stage: floor.stage), floor.stage,
                      LearnedStage.spamRuleID)
        }
        if result.decision == .approve, let problem = problems.first {
            result = (.hold, .matchProblem(rule: problem.rule, stage: problem.stage), problem.stage, problem.rule)
        }
        return Moderation(commentID: comment.id, decision: result.decision, reason: result.reason,
                          stage: result.stage, rule: result.rule, score: score, fired: fired,
                          problems: problems, stagesRun: stagesRun, ruleSetFingerprint: ruleSet.fingerprint,
                          learned: verdict)
    }

    /// The learned stage on one comment: its verdict always (explanations show it), and the
    /// score it adds when the probability reaches a cut-off, as a fired rule whose hits are
    /// the strongest clues, so that eval, diff, test cases and queue records see it like any rule.
    private func judge(_ prepared: PreparedComment, with learned: LearnedStage, in stage: String)
        -> (verdict: LearnedVerdict, fired: FiredRule?) {
        let tokens = CommentTokenizer.tokens(of: prepared, kinds: learned.model.tokenKinds, session: session)
        let verdict = LearnedClassifier.classify(tokens, with: learned.model, minimumStrength: learned.minimumStrength,
                                                 maximumClues: learned.maximumClues)
        guard let (rule, score) = learned.score(for: verdict.probability) else { return (verdict, nil) }
        let hits = verdict.clues.prefix(LearnedVerdict.maximumListed).map { clue in
            RuleHit(rule: rule, stage: stage, field: .tokens, start: 0, end: 0,
                    text: "\(clue.token) \(plainNumber((clue.probability * 1000).rounded() / 1000))")
        }
        let action = rule == LearnedStage.spamRuleID ? learned.spamAction : nil
        return (verdict, FiredRule(rule: rule, stage: stage, action: action, score: action == nil ? score : 0,
                                   hits: Array(hits), matchCount: 1))
    }

    private func endOfPipeline(score: Double, fired: [FiredRule], lastStage: String?)
        -> (decision: Action, reason: DecisionReason, stage: String?, rule: String?) {
        let thresholds = ruleSet.thresholds
        if score >= thresholds.reject { return (.reject, .score(threshold: thresholds.reject), lastStage, topScorer(fired)) }
        if score >= thresholds.hold { return (.hold, .score(threshold: thresholds.hold), lastStage, topScorer(fired)) }
        return (.approve, .noRuleDecided, nil, nil)
    }

    /// The rule that added most to the score (the first one on a tie).
    private func topScorer(_ fired: [FiredRule]) -> String? {
        var best: FiredRule?
        for rule in fired where rule.score > (best?.score ?? 0) { best = rule }
        return best?.rule
    }

    /// Runs one rule over its fields; nil if it did not fire.
    private func evaluate(_ rule: Rule, at ordinal: Int, on comment: PreparedComment,
                          problems: inout [MatchProblem]) -> FiredRule? {
        if let condition = rule.signal {
            let value = comment.value(of: condition.signal, session: session)
            guard value >= condition.atLeast else { return nil }
            let hit = RuleHit(rule: rule.id, stage: rule.stage, field: .signal(condition.signal), start: 0, end: 0,
                              text: "\(condition.signal.rawValue) = \(value)")
            return FiredRule(rule: rule.id, stage: rule.stage, action: rule.action, score: rule.score,
                             hits: [hit], matchCount: 1)
        }
        guard let regex = rule.regex else { return nil }
        var hits: [RuleHit] = []
        var matchCount = 0
        match(rule, regex, at: ordinal, on: comment) { field, text, ranges, failure in
            matchCount += ranges.count
            for range in ranges.prefix(RuleHit.maximumListed - hits.count) {
                hits.append(hit(rule, field, range, in: text, of: comment))
            }
            if let failure {
                problems.append(MatchProblem(rule: rule.id, stage: rule.stage, field: field, reason: failure.description))
            }
        }
        guard matchCount > 0 else { return nil }
        return FiredRule(rule: rule.id, stage: rule.stage, action: rule.action,
                         score: rule.score * Double(matchCount), hits: hits, matchCount: matchCount)
    }

    /// A pattern rule on each of its fields: a field the prefilter rules out is skipped, and a
    /// `count: first` rule stops at its first field with a match. `each` gets every field run,
    /// its text, its matches and the failure that cut matching short, if one did.
    func match(_ rule: Rule, _ regex: Regex, at ordinal: Int, on comment: PreparedComment,
               each: (_ field: RuleField, _ text: String, _ ranges: [Range<Int>], _ failure: MatchFailure?) -> Void) {
        var matchCount = 0
        for field in rule.fields {
            guard var text = comment.text(of: field, session: session) else { continue }
            if !rule.requiredLiterals.isEmpty,
               !comment.mayMatch(ruleAt: ordinal, in: field, text: &text, prefilter: prefilter) {
                continue
            }
            var ranges: [Range<Int>] = []
            let failure: MatchFailure? = text.withUTF8 { bytes in
                switch rule.count {
                case .first:
                    switch session.firstMatch(of: regex, in: bytes) {
                    case .match(let range): ranges = [range]; return nil
                    case .noMatch: return nil
                    case .failed(let failure): return failure
                    }
                case .all:
                    let (found, failure) = session.allMatches(of: regex, in: bytes, maximum: Self.maximumCounted)
                    ranges = found
                    return failure
                }
            }
            matchCount += ranges.count
            each(field, text, ranges, failure)
            if rule.count == .first && matchCount > 0 { break }
        }
    }

    /// `count: all` counts at most this many matches per rule and field (README, "Security"):
    /// a pattern matching every character of a 16 MiB body must not list 16 million ranges.
    static let maximumCounted = 10_000

    /// A hit as a person should see it: in a normalised view, the original text it came from.
    private func hit(_ rule: Rule, _ field: RuleField, _ range: Range<Int>, in matched: String,
                     of comment: PreparedComment) -> RuleHit {
        guard case .normalized(let source) = field, let view = comment.normalized(source),
              let original = comment.comment[source] else {
            return RuleHit(rule: rule.id, stage: rule.stage, field: field, start: range.lowerBound, end: range.upperBound,
                           text: Self.excerpt(matched, range))
        }
        let originalRange = view.originalRange(of: range)
        return RuleHit(rule: rule.id, stage: rule.stage, field: field,
                       start: originalRange.lowerBound, end: originalRange.upperBound,
                       text: Self.excerpt(original, originalRange), normalizedText: Self.excerpt(matched, range))
    }

    /// The text of a byte range, cut at `RuleHit.maximumTextBytes` on a character boundary.
    static func excerpt(_ text: String, _ range: Range<Int>) -> String {
        var text = text
        return text.withUTF8 { bytes in
            let lower = min(range.lowerBound, bytes.count)
            let upper = min(range.upperBound, bytes.count)
            var end = min(upper, lower + RuleHit.maximumTextBytes)
            while end < upper && end > lower && bytes[end] & 0xC0 == 0x80 { end -= 1 }
            return String(decoding: UnsafeBufferPointer(rebasing: bytes[lower..<end]), as: UTF8.self)
        }
    }
}
