import Foundation
import PCRE2

/// One thing `moderate test` found wrong: where to look and what happened instead.
public struct TestFailure: Sendable, Equatable, CustomStringConvertible {
    public var location: SourceLocation
    public var message: String

    /// `file:line:column: fail: message`, like a compiler, so editors can jump to it.
    public var description: String { "\(location): fail: \(message)" }
}

public struct RuleTestReport: Sendable {
    public var examplesRun = 0
    public var casesRun = 0
    public var failures: [TestFailure] = []

    public var passed: Bool { failures.isEmpty }
}

/// Runs every rule's examples against the rule alone (a failure points at the example's own
/// line, and names its rule), and every case through the whole
/// pipeline. Examples test a pattern; cases test how the rules add up to a decision.
public struct RuleTestRunner {
    public let ruleSet: RuleSet
    private let decider: Decider
    private let session: MatchSession

    public init(ruleSet: RuleSet) {
        self.ruleSet = ruleSet
        decider = Decider(ruleSet: ruleSet)
        session = MatchSession(limits: ruleSet.limits)
    }

    public func run(cases: [TestCase]) -> RuleTestReport {
        var report = RuleTestReport()
        for rule in ruleSet.rules {
            // Signal rules have no pattern and so no examples; case files test them.
            guard let regex = rule.regex else { continue }
            for (index, example) in rule.examples.match.enumerated() {
                report.examplesRun += 1
                let location = rule.examples.matchLocations.indices.contains(index)
                    ? rule.examples.matchLocations[index] : rule.location
                switch session.firstMatch(of: regex, in: rule.exampleSubject(example)) {
                case .match: break
                case .noMatch:
                    report.failures.append(TestFailure(location: location, message:
                        "rule \(rule.id): example \(quoted(example)) must match, but the pattern does not match it"))
                case .failed(let failure):
                    report.failures.append(TestFailure(location: location, message:
                        "rule \(rule.id): example \(quoted(example)) could not be checked: \(failure)"))
                }
            }
            for (index, example) in rule.examples.noMatch.enumerated() {
                report.examplesRun += 1
                let location = rule.examples.noMatchLocations.indices.contains(index)
                    ? rule.examples.noMatchLocations[index] : rule.location
                switch session.firstMatch(of: regex, in: rule.exampleSubject(example)) {
                case .noMatch: break
                case .match(let range):
                    let matched = String(decoding: Array(rule.exampleSubject(example).utf8)[range], as: UTF8.self)
                    report.failures.append(TestFailure(location: location, message:
                        "rule \(rule.id): example \(quoted(example)) must not match, but the pattern matches "
                        + "\(quoted(matched)) at bytes \(range.lowerBound)..<\(range.upperBound)"))
                case .failed(let failure):
                    report.failures.append(TestFailure(location: location, message:
                        "rule \(rule.id): example \(quoted(example)) could not be checked: \(failure)"))
                }
            }
        }
        for testCase in cases {
            report.casesRun += 1
            if let failure = check(testCase) { report.failures.append(failure) }
        }
        return report
    }

    /// Nil when the case gets its decision (from its rule, if it names one).
    public func check(_ testCase: TestCase) -> TestFailure? {
        let moderation = decider.decide(testCase.comment)
        let decidedBy = moderation.rule.map { "rule \($0)" } ?? "no rule"
        let what = "\(decidedBy): \(QueueRecord.reasonText(moderation))"
        if moderation.decision != testCase.expect {
            return TestFailure(location: testCase.location, message:
                "case \(quoted(testCase.name)): expected \(testCase.expect.rawValue), got \(moderation.decision.rawValue) by \(what)")
        }
        if let expectedRule = testCase.rule, moderation.rule != expectedRule {
            var message = "case \(quoted(testCase.name)): \(testCase.expect.rawValue) as expected, "
                + "but decided by \(decidedBy), not \(expectedRule)"
            let stageIDs = [LearnedStage.spamRuleID, LearnedStage.unsureRuleID]
            if !stageIDs.contains(expectedRule), ruleSet.rules.allSatisfy({ $0.id != expectedRule }) {
                message += " (there is no rule \(expectedRule))"
            }
            return TestFailure(location: testCase.location, message: message)
        }
        return nil
    }

    private func quoted(_ text: String) -> String {
        "\"" + text.replacingOccurrences(of: "\n", with: "\\n") + "\""
    }
}
