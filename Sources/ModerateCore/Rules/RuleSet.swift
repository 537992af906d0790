import PCRE2

/// Score thresholds: a comment whose total score reaches `reject` is rejected,
/// one that reaches `hold` (but not `reject`) is held.
public struct Thresholds: Sendable, Equatable {
    public var hold: Double
    public var reject: Double

    public init(hold: Double, reject: Double) {
        self.hold = hold
        self.reject = reject
    }
}

public struct Stage: Sendable {
    public var name: String
    public var rules: [Rule]
    /// The learned stage's model and cut-offs, run after the stage's rules (pipeline.yaml `learned:`).
    public var learned: LearnedStage?

    public init(name: String, rules: [Rule], learned: LearnedStage? = nil) {
        self.name = name
        self.rules = rules
        self.learned = learned
    }
}

/// Every rule, compiled, in the order the pipeline runs them. Immutable and shared by all threads.
public struct RuleSet: Sendable {
    public let stages: [Stage]
    public var thresholds: Thresholds
    public var limits: MatchLimits
    /// Links to these domains do not count (pipeline.yaml `links.allowed_domains`).
    public var linkPolicy: LinkPolicy
    /// How close in time comments by one author count as a burst (`signals.burst_window_minutes`).
    public var burstWindowSeconds: Double
    /// A short hash of every rule, list and pipeline file: it names this exact rule set in
    /// each queue record, so a record can be traced to the rules that decided it.
    public var fingerprint: String

    public init(stages: [Stage], thresholds: Thresholds, limits: MatchLimits = .standard,
                linkPolicy: LinkPolicy = LinkPolicy(), burstWindowSeconds: Double = 600, fingerprint: String) {
        self.stages = stages
        self.thresholds = thresholds
        self.limits = limits
        self.linkPolicy = linkPolicy
        self.burstWindowSeconds = burstWindowSeconds
        self.fingerprint = fingerprint
    }

    public var rules: [Rule] { stages.flatMap(\.rules) }

    /// The learned stage, if the pipeline has one. Its model is loaded once and shared by
    /// every thread's copy of the rule set (it is never changed after loading).
    public var learnedStage: LearnedStage? { stages.lazy.compactMap(\.learned).first }

    /// The same rules as objects of their own (their regexes over the same compiled code, see
    /// `Regex.copy()`), for another thread's `Decider`. Decisions are the same; the point is
    /// that threads do not contend for the reference counts of shared rule objects, which the
    /// decider's inner loop touches.
    public func copyForAnotherThread() -> RuleSet {
        RuleSet(stages: stages.map { Stage(name: unshared($0.name), rules: $0.rules.map { $0.copyForAnotherThread() },
                                              learned: $0.learned) },
                thresholds: thresholds, limits: limits, linkPolicy: linkPolicy,
                burstWindowSeconds: burstWindowSeconds, fingerprint: unshared(fingerprint))
    }

    /// Whether any rule needs the batch's signals (copies, bursts); without such a rule
    /// the batch need not be tracked at all.
    public var usesBatchSignals: Bool {
        rules.contains { $0.signal?.signal == .sameBody || $0.signal?.signal == .authorBurst }
    }

    /// Whether any rule counts copies (`same_body`): then a run counts the bodies of its
    /// files before deciding (`BodyCopyCounts`).
    public var usesCopies: Bool { rules.contains { $0.signal?.signal == .sameBody } }

    /// Whether any rule is skipped for known authors.
    public var usesKnownAuthors: Bool { rules.contains(where: \.skipForKnownAuthors) }
}

/// A string with storage of its own (a copy shares its buffer, and its reference count).
func unshared(_ text: String) -> String { String(decoding: Array(text.utf8), as: UTF8.self) }
