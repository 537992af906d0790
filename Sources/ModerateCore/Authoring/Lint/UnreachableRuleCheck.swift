/// A rule in a stage after one whose rule fires on every comment and decides: it never runs.
struct UnreachableRuleCheck: LintCheck {
    public static let id = "unreachable-rule"
    public static let summary = "a rule in a later stage than a rule that fires on every comment and decides can never run"
    public static let triggering: [[String: String]] = [[
        "allow.yaml": """
            stage: allow
            rules:
              - id: allow.all
                description: An example for this check.
                pattern: 'x*'
                action: approve
            """,
        "spam.yaml": """
            stage: spam
            rules:
              - id: spam.pills
                description: An example for this check.
                pattern: '\\bviagra\\b'
                score: 5
            """,
    ]]
    public static let nonTriggering: [[String: String]] = [[
        "allow.yaml": """
            stage: allow
            rules:
              - id: allow.thanks
                description: An example for this check.
                pattern: '\\bthank you\\b'
                action: approve
            """,
        "spam.yaml": """
            stage: spam
            rules:
              - id: spam.pills
                description: An example for this check.
                pattern: '\\bviagra\\b'
                score: 5
            """,
    ]]

    public func warning(for rule: Rule, at index: Int, in context: LintContext) -> String? {
        guard let blocker = context.alwaysDeciding, context.stageIndex(rule.stage) > context.stageIndex(blocker.stage) else {
            return nil
        }
        return "can never run: rule '\(blocker.id)' (\(blocker.location)) fires on every comment "
            + "and decides in the earlier stage '\(blocker.stage)'"
    }
}
