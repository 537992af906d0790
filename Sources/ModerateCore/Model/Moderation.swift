/// One match of a rule in one field of a comment.
public struct RuleHit: Sendable, Equatable {
    public var rule: String
    public var stage: String
    public var field: RuleField
    /// Byte offsets of the match in the field's UTF-8 text; for a normalised view, in the
    /// original field's text (so a person sees what was really written); for links,
    /// domains and signals, in the derived text.
    public var start: Int
    public var end: Int
    /// The matched text of the original (cut at `RuleHit.maximumTextBytes`; the offsets are exact).
    public var text: String
    /// For a match in a normalised view: what the match looked like there.
    public var normalizedText: String?

    public init(rule: String, stage: String, field: RuleField, start: Int, end: Int, text: String, normalizedText: String? = nil) {
        self.rule = rule
        self.stage = stage
        self.field = field
        self.start = start
        self.end = end
        self.text = text
        self.normalizedText = normalizedText
    }
}

/// A rule that could not be checked on a comment (match or resource limit).
public struct MatchProblem: Sendable, Equatable {
    public var rule: String
    public var stage: String
    public var field: RuleField
    public var reason: String
}

/// What one rule did to one comment: its matches and what it added to the score.
public struct FiredRule: Sendable, Equatable {
    public var rule: String
    public var stage: String
    public var action: Action?
    /// The rule's score times the number of matches counted.
    public var score: Double
    public var hits: [RuleHit]
    /// Matches counted; with `count: all` this can exceed `hits.count`, which is capped.
    public var matchCount: Int
}

/// Why the decision is what it is.
public enum DecisionReason: Sendable, Equatable {
    /// A rule with an action fired; the first stage in which any did decides.
    case action(rule: String, stage: String)
    /// The total score reached a threshold.
    case score(threshold: Double)
    /// No action and a score under the hold threshold.
    case noRuleDecided
    /// A rule could not be checked, so the comment cannot be approved.
    case matchProblem(rule: String, stage: String)
}

/// The outcome of moderating one comment.
public struct Moderation: Sendable, Equatable {
    public var commentID: String
    public var decision: Action
    public var reason: DecisionReason
    /// The stage in which the decision was made (nil when no stage ran or none decided).
    public var stage: String?
    /// The rule that made the decision; for a score decision, the rule that added most.
    public var rule: String?
    public var score: Double
    public var fired: [FiredRule]
    public var problems: [MatchProblem]
    public var stagesRun: [String]
    public var ruleSetFingerprint: String
    /// What the learned stage made of the comment, when it ran.
    public var learned: LearnedVerdict? = nil
}

extension RuleHit {
    /// Matched text longer than this is cut in the record; `.*` on a 1 MB body must not
    /// copy the body into the queue again.
    public static let maximumTextBytes = 200
    /// At most this many matches are listed per rule (all are counted).
    public static let maximumListed = 10
}
