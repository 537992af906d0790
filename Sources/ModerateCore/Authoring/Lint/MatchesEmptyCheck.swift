/// A pattern that matches the empty string fires on every comment that has its fields.
struct MatchesEmptyCheck: LintCheck {
    public static let id = "matches-empty"
    public static let summary = "a pattern that matches the empty string fires on every comment"
    public static let triggering: [[String: String]] = [[
        "spam.yaml": """
            stage: spam
            rules:
              - id: spam.optional-everything
                description: An example for this check.
                pattern: '(free)?\\s*(money)?'
                score: 1
            """,
    ]]
    public static let nonTriggering: [[String: String]] = [[
        "spam.yaml": """
            stage: spam
            rules:
              - id: spam.free-money
                description: An example for this check.
                pattern: '\\bfree\\s+money\\b'
                score: 1
            """,
    ]]

    public func warning(for rule: Rule, at index: Int, in context: LintContext) -> String? {
        guard let regex = rule.regex, context.matchesEmptyString(regex) else { return nil }
        return "the pattern matches the empty string, so it fires on every comment that has "
            + "\(rule.fields.map(\.description).joined(separator: " or ")); make something in it required"
    }
}
