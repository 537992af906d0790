/// A rule with the same pattern and options as an earlier one that looks at every field it
/// does: a duplicate, or a rule that can never decide.
struct ShadowedRuleCheck: LintCheck {
    public static let id = "shadowed-rule"
    public static let summary = "a rule with the same pattern as an earlier one never fires alone, and may never decide"
    public static let triggering: [[String: String]] = [[
        "spam.yaml": """
            stage: spam
            rules:
              - id: spam.channel
                description: An example for this check.
                pattern: '\\bcheck out my channel\\b'
                action: reject
              - id: spam.channel-again
                description: An example for this check.
                pattern: '\\bcheck out my channel\\b'
                action: hold
            """,
    ]]
    public static let nonTriggering: [[String: String]] = [[
        "spam.yaml": """
            stage: spam
            rules:
              - id: spam.channel
                description: An example for this check.
                pattern: '\\bcheck out my channel\\b'
                action: reject
              - id: spam.channel-in-name
                description: An example for this check.
                pattern: '\\bcheck out my channel\\b'
                fields: [author]
                score: 2
            """,
    ]]

    public func warning(for rule: Rule, at index: Int, in context: LintContext) -> String? {
        guard let regex = rule.regex else { return nil }
        for other in context.earlierRules(withPatternOf: regex, before: index) where Self.covers(other, rule) {
            let place = "rule '\(other.id)' (\(other.location))"
            if other.stage != rule.stage, let action = other.action {
                return "can never decide: \(place) has the same pattern on its fields and decides first "
                    + "(action \(action.rawValue) in the earlier stage '\(other.stage)'), so this rule never runs on what it matches"
            }
            guard other.stage == rule.stage else { continue }
            var neverDecides = ""
            if let action = other.action, let own = rule.action, own <= action {
                neverDecides = own == action
                    ? "; it can never decide: both have action \(action.rawValue) and the earlier rule decides"
                    : "; it can never decide: the other rule's action \(action.rawValue) wins over \(own.rawValue)"
            }
            if Set(other.fields) == Set(rule.fields) {
                return "duplicate of \(place): same pattern, fields and stage, so both always fire together" + neverDecides
            }
            if !neverDecides.isEmpty {
                return "shadowed by \(place): same pattern in the same stage on more fields" + neverDecides
            }
        }
        return nil
    }

    /// A rule never fires without `earlier` firing too when both have the same pattern and
    /// options and `earlier` looks at every field this one does.
    private static func covers(_ earlier: Rule, _ rule: Rule) -> Bool {
        guard let earlierRegex = earlier.regex, let regex = rule.regex else { return false }
        return earlierRegex.pattern == regex.pattern && earlierRegex.options == regex.options
            && Set(rule.fields).isSubset(of: Set(earlier.fields))
    }
}
