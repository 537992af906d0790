/// A matched span with a little of the text around it, for showing a hit to a person.
public struct HitSnippet: Sendable, Equatable {
    public var before: String
    public var match: String
    public var after: String
    /// True when text was left out before `before` or after `after`.
    public var cutBefore: Bool
    public var cutAfter: Bool

    /// The span `start..<end` (byte offsets) of `text` with up to `context` bytes either side,
    /// cut on character boundaries. Line breaks and tabs become spaces so a hit fits on one line.
    /// A match longer than `maxMatch` bytes (`.*` can match a whole megabyte comment) keeps its
    /// first and last `maxMatch / 2` bytes with `…` between, so what is shown stays bounded.
    public static func around(_ text: String, start: Int, end: Int, context: Int = 30, maxMatch: Int = 200) -> HitSnippet {
        let bytes = Array(text.utf8)
        let start = min(max(0, start), bytes.count)
        let end = min(max(start, end), bytes.count)
        var from = max(0, start - context)
        while from > 0 && bytes[from] & 0xC0 == 0x80 { from -= 1 }
        var to = min(bytes.count, end + context)
        while to < bytes.count && bytes[to] & 0xC0 == 0x80 { to += 1 }
        func piece(_ range: Range<Int>) -> String {
            String(decoding: bytes[range], as: UTF8.self)
                .map { $0.isNewline || $0 == "\t" ? " " : String($0) }.joined()
        }
        var match = piece(start..<end)
        if end - start > maxMatch {
            var headEnd = start + maxMatch / 2
            while headEnd > start && bytes[headEnd] & 0xC0 == 0x80 { headEnd -= 1 }
            var tailStart = end - maxMatch / 2
            while tailStart < end && bytes[tailStart] & 0xC0 == 0x80 { tailStart += 1 }
            match = piece(start..<headEnd) + "…" + piece(tailStart..<end)
        }
        return HitSnippet(before: piece(from..<start), match: match, after: piece(end..<to),
                          cutBefore: from > 0, cutAfter: to < bytes.count)
    }
}

/// What happened in each stage of the pipeline for one comment, in order: the view
/// `moderate explain` prints.
public struct StageReport: Sendable, Equatable {
    public enum Outcome: Sendable, Equatable {
        /// The stage ran and did not decide; the comment went on.
        case passed
        /// The stage made the decision (by an action or by reaching the reject threshold),
        /// or was the last stage when the final score decided.
        case decided
        /// The stage did not run because an earlier one decided.
        case notRun(decidedIn: String)
    }

    public var stage: String
    public var fired: [FiredRule]
    /// The total score after this stage (for stages that ran).
    public var scoreAfter: Double
    public var outcome: Outcome

    /// One report per pipeline stage, from a decision made with that rule set.
    public static func reports(for moderation: Moderation, in ruleSet: RuleSet) -> [StageReport] {
        var running = 0.0
        var reports: [StageReport] = []
        let lastRun = moderation.stagesRun.last
        for stage in ruleSet.stages {
            guard moderation.stagesRun.contains(stage.name) else {
                reports.append(StageReport(stage: stage.name, fired: [], scoreAfter: running,
                                           outcome: .notRun(decidedIn: lastRun ?? "")))
                continue
            }
            let fired = moderation.fired.filter { $0.stage == stage.name }
            running += fired.reduce(0) { $0 + $1.score }
            reports.append(StageReport(stage: stage.name, fired: fired, scoreAfter: running,
                                       outcome: moderation.stage == stage.name ? .decided : .passed))
        }
        return reports
    }
}
