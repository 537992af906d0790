/// Warnings about rules that compile but will not do what their author meant, each from one
/// `LintCheck` (see `RuleLinter.checks`). Every warning points at the rule (file:line:column)
/// and names its check's id.
public struct RuleLinter {
    /// Every check, in the order their warnings for one rule are printed.
    public static let checks: [any LintCheck] = [
        UnreachableRuleCheck(), ShadowedRuleCheck(), MatchesEmptyCheck(), NestedQuantifierCheck(), InsideWordsCheck(),
    ]

    private let context: LintContext

    public init(ruleSet: RuleSet, commonWords: [String] = CommonWords.all, markupWords: [String] = CommonWords.markup) {
        context = LintContext(ruleSet: ruleSet, commonWords: commonWords, markupWords: markupWords)
    }

    /// Rule by rule, in the rule set's order; for each rule, check by check.
    public func warnings() -> [RuleProblem] {
        var warnings: [RuleProblem] = []
        for (index, rule) in context.rules.enumerated() {
            for check in Self.checks {
                if let message = check.warning(for: rule, at: index, in: context) {
                    warnings.append(RuleProblem(rule.location, .warning, "rule '\(rule.id)': \(message)",
                                                check: type(of: check).id))
                }
            }
        }
        return warnings
    }
}
