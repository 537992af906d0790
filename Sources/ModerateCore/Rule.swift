import PCRE2

/// What a rule does when it fires, ordered from mildest to most severe.
public enum Action: String, Sendable, Comparable, CaseIterable {
    case approve, hold, reject

    var severity: Int {
        switch self {
        case .approve: return 0
        case .hold: return 1
        case .reject: return 2
        }
    }

    public static func < (lhs: Action, rhs: Action) -> Bool { lhs.severity < rhs.severity }
}

/// How many matches a rule counts towards its score.
public enum CountMode: String, Sendable {
    /// The rule scores once if it matches anywhere in any of its fields.
    case first
    /// The rule scores once per non-overlapping match, over all its fields.
    case all
}

/// A place in a rule file, as editors count: lines and columns from 1.
public struct SourceLocation: Sendable, Equatable, CustomStringConvertible {
    public var file: String
    public var line: Int
    public var column: Int

    public init(file: String, line: Int, column: Int) {
        self.file = file
        self.line = line
        self.column = column
    }

    public var description: String { "\(file):\(line):\(column)" }
}

/// Texts a rule must match and must not match; `moderate test` runs them.
public struct RuleExamples: Sendable {
    public var match: [String]
    public var noMatch: [String]
    /// Where each example is written, in the same order (empty for rules built in code), so a
    /// failing example can be pointed at rather than only its rule.
    public var matchLocations: [SourceLocation]
    public var noMatchLocations: [SourceLocation]

    public init(match: [String] = [], noMatch: [String] = [],
                matchLocations: [SourceLocation] = [], noMatchLocations: [SourceLocation] = []) {
        self.match = match
        self.noMatch = noMatch
        self.matchLocations = matchLocations
        self.noMatchLocations = noMatchLocations
    }
}

/// Where a list rule's phrases came from; lint checks the phrases themselves, not the
/// alternation they were compiled into.
public struct PhraseListSource: Sendable, Equatable {
    /// The list file's path as the rule names it (relative to the rules directory).
    public var path: String
    public var phrases: [String]
    public var wholeWords: Bool

    public init(path: String, phrases: [String], wholeWords: Bool) {
        self.path = path
        self.phrases = phrases
        self.wholeWords = wholeWords
    }
}

/// A rule that fires on a number instead of a pattern: `signal: links`, `at_least: 3`.
public struct SignalCondition: Sendable, Equatable {
    public var signal: Signal
    public var atLeast: Int

    public init(signal: Signal, atLeast: Int) {
        self.signal = signal
        self.atLeast = atLeast
    }
}

/// One compiled rule from a rule file. It fires on a pattern (`regex`, from `pattern` or
/// `list`) matched in its fields, or on a batch or link signal.
/// A class, not a struct: rules are shared, never changed after loading, and the decider's
/// inner loop passes them around once per rule and comment, which must not copy every field.
public final class Rule: Sendable {
    public let id: String
    public let stage: String
    public let description: String
    public let fields: [RuleField]
    public let regex: Regex?
    /// What any match of `regex` must contain, so that `RulePrefilter` can skip the rule on
    /// texts without it.
    public let requiredLiterals: RequiredLiterals
    public let signal: SignalCondition?
    /// Not run for authors with approved comments from earlier runs (never a reject rule).
    public let skipForKnownAuthors: Bool
    public let action: Action?
    public let score: Double
    public let count: CountMode
    public let examples: RuleExamples
    /// Where the rule starts in its file.
    public let location: SourceLocation
    /// Set for a `list:` rule (nil for a `pattern:` rule).
    public let list: PhraseListSource?

    public init(id: String, stage: String, description: String, fields: [RuleField], regex: Regex?,
                signal: SignalCondition? = nil, skipForKnownAuthors: Bool = false,
                action: Action?, score: Double, count: CountMode = .first,
                examples: RuleExamples = RuleExamples(), location: SourceLocation,
                list: PhraseListSource? = nil, requiredLiterals: RequiredLiterals? = nil) {
        self.id = id
        self.stage = stage
        self.description = description
        self.fields = fields
        self.regex = regex
        self.requiredLiterals = requiredLiterals
            ?? regex.map { RequiredLiterals(pattern: $0.pattern, options: $0.options) } ?? .nothingKnown
        self.signal = signal
        self.skipForKnownAuthors = skipForKnownAuthors
        self.action = action
        self.score = score
        self.count = count
        self.examples = examples
        self.location = location
        self.list = list
    }
}

extension Rule {
    /// The same rule with nothing shared with this one (see `RuleSet.copyForAnotherThread`).
    func copyForAnotherThread() -> Rule {
        copy(id: unshared(id), stage: unshared(stage), fields: fields.map { $0 }, regex: regex.flatMap { $0.copy() ?? $0 },
             requiredLiterals: RequiredLiterals(allOf: requiredLiterals.allOf.map { $0.map { $0 } },
                                                wordRun: requiredLiterals.wordRun, digitRun: requiredLiterals.digitRun))
    }

    /// The same rule, run on every text (for tests that compare with the prefilter off).
    func withoutRequiredLiterals() -> Rule {
        copy(id: id, stage: stage, fields: fields, regex: regex, requiredLiterals: .nothingKnown)
    }

    private func copy(id: String, stage: String, fields: [RuleField], regex: Regex?, requiredLiterals: RequiredLiterals) -> Rule {
        Rule(id: id, stage: stage, description: description, fields: fields, regex: regex, signal: signal,
             skipForKnownAuthors: skipForKnownAuthors, action: action, score: score, count: count,
             examples: examples, location: location, list: list, requiredLiterals: requiredLiterals)
    }
}

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

    public init(name: String, rules: [Rule]) {
        self.name = name
        self.rules = rules
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
        prefilter = RulePrefilter(rules: stages.flatMap(\.rules))
    }

    /// Which rules can be skipped on a text, from one scan for every rule's required literals.
    public let prefilter: RulePrefilter

    public var rules: [Rule] { stages.flatMap(\.rules) }

    /// The same rules, compiled again into objects of their own, for another thread's
    /// `Decider`. Decisions are the same; the point is that threads do not contend for the
    /// reference counts of shared rule objects, which the decider's inner loop touches.
    public func copyForAnotherThread() -> RuleSet {
        RuleSet(stages: stages.map { Stage(name: unshared($0.name), rules: $0.rules.map { $0.copyForAnotherThread() }) },
                thresholds: thresholds, limits: limits, linkPolicy: linkPolicy,
                burstWindowSeconds: burstWindowSeconds, fingerprint: unshared(fingerprint))
    }

    /// Whether any rule needs the batch's signals (copies, bursts); without such a rule
    /// the batch need not be tracked at all.
    public var usesBatchSignals: Bool {
        rules.contains { $0.signal?.signal == .sameBody || $0.signal?.signal == .authorBurst }
    }

    /// Whether any rule is skipped for known authors.
    public var usesKnownAuthors: Bool { rules.contains(where: \.skipForKnownAuthors) }
}

extension Rule {
    /// An example as the rule sees it: examples are written as people write comments, so
    /// for a rule that only looks at normalised views they are normalised first.
    public func exampleSubject(_ example: String) -> String {
        let normalizedOnly = !fields.isEmpty && fields.allSatisfy {
            if case .normalized = $0 { return true } else { return false }
        }
        return normalizedOnly ? TextNormalizer.normalize(example).text : example
    }
}

/// A string with storage of its own (a copy shares its buffer, and its reference count).
private func unshared(_ text: String) -> String { String(decoding: Array(text.utf8), as: UTF8.self) }
