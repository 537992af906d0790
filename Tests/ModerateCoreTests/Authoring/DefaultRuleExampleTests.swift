import Foundation
@testable import ModerateCore
import Testing
import PCRE2

@Suite struct DefaultRuleExampleTests {
    /// Every default rule proves itself on its own examples (what `moderate test` runs).
    @Test func everyDefaultPatternRuleHasExamplesAndPassesThem() throws {
        let ruleSet = try #require(RuleLoader.load(directory: defaultRulesDirectory).ruleSet)
        for rule in ruleSet.rules where rule.regex != nil {
            #expect(!rule.examples.match.isEmpty, "\(rule.id) has no examples that must match")
        }
        let report = RuleTestRunner(ruleSet: ruleSet).run(cases: [])
        #expect(report.examplesRun > 30)
        #expect(report.failures.isEmpty, "\(report.failures)")
    }
}

