import Foundation

/// Which input field holds the label, and which of its values mean spam.
/// `label` means the field `label` with the default spam values; `label=junk` means spam is `junk`.
public struct LabelSpec: Sendable, Equatable {
    public static let defaultSpamValues: Set<String> = ["1", "true", "yes", "spam"]

    public var field: String
    /// Lower-cased; a label is compared without regard to case or surrounding spaces.
    public var spamValues: Set<String>

    /// When set, only these values are ham and any other is no label at all (WordPress's
    /// pending comments are neither spam nor ham). When nil, every value that is not spam is ham.
    public var hamValues: Set<String>?

    /// WordPress's `comment_approved` (`wp_approved` in the record): `spam` and `trash` are
    /// what moderators threw out, `1` what they approved; `0` (pending) nobody has decided.
    public static let wordPressApproved = LabelSpec(field: "wp_approved", spamValues: ["spam", "trash"], hamValues: ["1"])

    public init(field: String, spamValues: Set<String> = LabelSpec.defaultSpamValues, hamValues: Set<String>? = nil) {
        self.field = field
        self.spamValues = Set(spamValues.map { $0.lowercased() })
        self.hamValues = hamValues.map { Set($0.map { $0.lowercased() }) }
    }

    /// Parses `FIELD` or `FIELD=SPAMVALUE`; nil when the field name is empty. A bare
    /// `wp_approved` is `wordPressApproved`.
    public init?(argument: String) {
        let parts = argument.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false).map(String.init)
        guard let field = parts.first, !field.isEmpty else { return nil }
        if parts.count == 2 {
            guard !parts[1].isEmpty else { return nil }
            self.init(field: field, spamValues: [parts[1]])
        } else if field == LabelSpec.wordPressApproved.field {
            self = LabelSpec.wordPressApproved
        } else {
            self.init(field: field)
        }
    }

    /// True for spam, false for ham, nil when the record has no such field (or an empty one).
    /// The label is read from the record as the reader kept it, so it works for any input format.
    public func isSpam(_ input: InputComment) -> Bool? {
        guard let object = try? JSONSerialization.jsonObject(with: Data(input.originalJSON)) as? [String: Any],
              let value = object[field] else { return nil }
        let text: String
        switch value {
        case let string as String: text = string
        case let number as NSNumber:
            // JSON true/false arrive as NSNumber too; their type name tells them from 1 and 0.
            text = String(describing: type(of: number)).contains("Boolean") ? (number.boolValue ? "true" : "false")
                : number.stringValue
        default: return nil
        }
        let normalized = text.trimmingCharacters(in: .whitespaces).lowercased()
        guard !normalized.isEmpty else { return nil }
        if spamValues.contains(normalized) { return true }
        if let hamValues { return hamValues.contains(normalized) ? false : nil }
        return false
    }
}

/// How one rule did on labelled comments.
public struct RuleEvaluation: Sendable, Equatable {
    public var rule: String
    public var stage: String
    /// Comments on which the rule fired, by label.
    public var spamHits: Int
    public var hamHits: Int

    /// The share of its hits that were spam; nil when it never fired on a labelled comment.
    public var precision: Double? {
        spamHits + hamHits == 0 ? nil : Double(spamHits) / Double(spamHits + hamHits)
    }
}

/// Decisions compared with labels: the table of decision by label, and every rule's hits.
public struct Evaluation: Sendable {
    /// Comments per decision and label (true: spam).
    public private(set) var counts: [Action: [Bool: Int]] = [:]
    /// Comments without a label; they are decided but not counted anywhere else.
    public private(set) var unlabelled = 0
    public private(set) var rules: [RuleEvaluation]
    private let ruleIndex: [String: Int]

    public init(ruleSet: RuleSet) {
        rules = ruleSet.rules.map { RuleEvaluation(rule: $0.id, stage: $0.stage, spamHits: 0, hamHits: 0) }
        ruleIndex = Dictionary(rules.enumerated().map { ($1.rule, $0) }, uniquingKeysWith: { first, _ in first })
    }

    public mutating func add(_ moderation: Moderation, isSpam: Bool?) {
        guard let isSpam else {
            unlabelled += 1
            return
        }
        counts[moderation.decision, default: [:]][isSpam, default: 0] += 1
        for fired in moderation.fired {
            guard let index = ruleIndex[fired.rule] else { continue }
            if isSpam { rules[index].spamHits += 1 } else { rules[index].hamHits += 1 }
        }
    }

    public func count(_ decision: Action, spam: Bool) -> Int { counts[decision]?[spam] ?? 0 }
    public func total(spam: Bool) -> Int { Action.allCases.reduce(0) { $0 + count($1, spam: spam) } }
    public var labelled: Int { total(spam: true) + total(spam: false) }

    /// Rules that fired on no labelled comment.
    public var neverFired: [String] { rules.filter { $0.spamHits + $0.hamHits == 0 }.map(\.rule) }
}
