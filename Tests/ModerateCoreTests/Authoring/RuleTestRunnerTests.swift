import PCRE2
@testable import ModerateCore
import Testing

@Suite struct RuleTestRunnerTests {
    @Test func examplesAndCasesReportWhatHappenedInstead() throws {
        let spam = try rule("spam.pills", stage: "spam", pattern: "\\bpills?\\b", score: 4,
                            examples: RuleExamples(match: ["cheap pills", "pillow"], noMatch: ["a pill box", "nothing"]))
        let runner = RuleTestRunner(ruleSet: ruleSet([spam]))
        let location = SourceLocation(file: "cases/c.yaml", line: 3, column: 5)
        let report = runner.run(cases: [
            TestCase(name: "ok", comment: comment("cheap pills"), expect: .hold, rule: "spam.pills", location: location),
            TestCase(name: "wrong", comment: comment("hello"), expect: .reject, location: location),
            TestCase(name: "other rule", comment: comment("pills"), expect: .hold, rule: "spam.other", location: location),
        ])
        #expect(report.examplesRun == 4)
        #expect(report.casesRun == 3)
        #expect(report.failures.map(\.description) == [
            "test.yaml:1:1: fail: rule spam.pills: example \"pillow\" must match, but the pattern does not match it",
            "test.yaml:1:1: fail: rule spam.pills: example \"a pill box\" must not match, but the pattern matches \"pill\" at bytes 2..<6",
            "cases/c.yaml:3:5: fail: case \"wrong\": expected reject, got approve by no rule: no rule decided and score 0 is under the hold threshold",
            "cases/c.yaml:3:5: fail: case \"other rule\": hold as expected, but decided by rule spam.pills, not spam.other (there is no rule spam.other)",
        ])
    }

    @Test func caseFilesAreReadWithEveryMistakeReported() throws {
        let directory = try makeRulesDirectory([
            "cases/a.yaml": """
                cases:
                  - body: "Check out my channel"
                    author_url: "https://x.example"
                    expect: hold
                    rule: spam.x
                  - body: no expectation
                  - expect: approve
                  - body: hi
                    expect: later
                    colour: red

                """,
            "cases/notes.txt": "not a case file",
        ])
        let (cases, problems) = TestCaseLoader.load(rulesDirectory: directory)
        #expect(cases.count == 1)
        #expect(cases.first?.comment[.authorURL] == "https://x.example")
        #expect(cases.first?.rule == "spam.x")
        #expect(cases.first?.name == "Check out my channel")
        #expect(cases.first?.location.line == 2)
        #expect(problems.map { "\($0.location.line): \($0.message)" } == [
            "6: case: 'expect' is required (approve, hold or reject)",
            "7: case: 'body' is required",
            "10: case: unknown key 'colour' (known keys: \(TestCaseLoader.caseKeys.sorted().joined(separator: ", ")))",
            "9: case: expect must be approve, hold or reject, not 'later'",
        ])
    }
}
