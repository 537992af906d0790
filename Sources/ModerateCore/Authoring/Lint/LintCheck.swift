import PCRE2

/// One lint check, as SwiftLint keeps its rules: an id that its warnings print
/// (`[shadowed-rule]`), a one-line summary, and rule files that must and must not make it
/// warn. One generic test runs every check's examples, so a check cannot exist without proof.
public protocol LintCheck: Sendable {
    static var id: String { get }
    static var summary: String { get }
    /// Rule files (name to text, beside a pipeline of stages allow, spam, links, keywords)
    /// on which the check warns at least once.
    static var triggering: [[String: String]] { get }
    /// Rule files on which it stays silent.
    static var nonTriggering: [[String: String]] { get }

    /// The warning for one rule (the message, without the rule's name), or nil.
    func warning(for rule: Rule, at index: Int, in context: LintContext) -> String?
}

/// What every check may look at: the rules, the common words, and a match session with a
/// low limit (a probe that needs more work than this says enough about the rule).
public final class LintContext {
    public let ruleSet: RuleSet
    public let commonWords: [String]
    /// Words of markup and formatting (`subscript`, `blockquote`) that no rule on prose may
    /// match at all, not even whole: a comment written in HTML is full of them.
    public let markupWords: [String]
    let session = MatchSession(limits: MatchLimits(matchLimit: 100_000))
    /// Every rule in pipeline order, gathered once: `RuleSet.rules` builds a new array on each
    /// call, which inside a per-rule check made linting quadratic in the number of rules.
    public private(set) lazy var rules: [Rule] = ruleSet.rules
    /// The indices (in `rules`) of the rules with each pattern and options, in order, so that
    /// a check comparing a rule with earlier ones of the same pattern does not scan every rule
    /// before it (17,802 rules took 44 s to lint that way).
    private lazy var indicesByPattern: [PatternKey: [Int]] = {
        var index: [PatternKey: [Int]] = [:]
        for (position, rule) in rules.enumerated() {
            if let regex = rule.regex { index[PatternKey(pattern: regex.pattern, options: regex.options), default: []].append(position) }
        }
        return index
    }()

    private struct PatternKey: Hashable {
        var pattern: String
        var options: RegexOptions
    }

    /// The rules before `index` whose pattern and options are the same as `regex`'s, in order.
    func earlierRules(withPatternOf regex: Regex, before index: Int) -> [Rule] {
        let key = PatternKey(pattern: regex.pattern, options: regex.options)
        return (indicesByPattern[key] ?? []).prefix { $0 < index }.map { rules[$0] }
    }
    /// The first rule that fires on every comment and decides alone, which hides every
    /// later stage (worked out once for all rules).
    private(set) lazy var alwaysDeciding: Rule? = ruleSet.rules.first { firesOnEveryComment($0) && decidesAlone($0) }

    init(ruleSet: RuleSet, commonWords: [String], markupWords: [String] = []) {
        self.ruleSet = ruleSet
        self.commonWords = commonWords
        self.markupWords = markupWords
    }

    /// An empty match anywhere, not only on an empty text: `\b` or `x*` match nothing too.
    func matchesEmptyString(_ regex: Regex) -> Bool {
        for probe in ["", "a", " ", "hello world"] {
            if case .match(let range) = session.firstMatch(of: regex, in: probe), range.isEmpty { return true }
        }
        return false
    }

    func stageIndex(_ name: String) -> Int {
        ruleSet.stages.firstIndex { $0.name == name } ?? 0
    }

    /// True when the rule fires on every comment: it matches the empty string in `body`,
    /// the one field every comment has.
    private func firesOnEveryComment(_ rule: Rule) -> Bool {
        guard rule.fields.contains(.raw(.body)) || rule.fields.contains(.normalized(.body)),
              let regex = rule.regex else { return false }
        return regex.matchesEmptyString(in: session)
    }

    /// True when firing alone is enough for the rule's stage to decide.
    private func decidesAlone(_ rule: Rule) -> Bool {
        rule.action != nil || rule.score >= ruleSet.thresholds.reject
    }
}
