/// A repeated group whose body also repeats without bound: it can backtrack catastrophically.
struct NestedQuantifierCheck: LintCheck {
    public static let id = "nested-quantifier"
    public static let summary = "nested quantifiers such as (\\w+\\s?)+ can backtrack catastrophically on long comments"
    public static let triggering: [[String: String]] = [[
        "spam.yaml": """
            stage: spam
            rules:
              - id: spam.repeated-words
                description: An example for this check.
                pattern: '(\\w+\\s?)+$'
                score: 1
            """,
    ]]
    public static let nonTriggering: [[String: String]] = [[
        "spam.yaml": """
            stage: spam
            rules:
              - id: spam.repeated-words
                description: An example for this check.
                pattern: '(\\w++\\s?)+$'
                score: 1
            """,
    ]]

    public func warning(for rule: Rule, at index: Int, in context: LintContext) -> String? {
        // A phrase list is written by moderate itself, as a prefix tree without such shapes.
        guard rule.list == nil, let pattern = rule.regex?.pattern, let shape = NestedQuantifierScan.riskyGroup(in: pattern) else {
            return nil
        }
        return "nested quantifiers in '\(shape)' can backtrack catastrophically on long comments "
            + "(heuristic); make the inner or outer repeat possessive (++, *+) or atomic (?>…)"
    }
}
