import PCRE2

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
    /// The same rule with no object or buffer shared with this one, only the regex's compiled
    /// code, which matching reads (see `RuleSet.copyForAnotherThread`, `Regex.copy()`).
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
