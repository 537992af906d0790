import Foundation
import Testing

@Suite(.serialized) struct TestCommandTests {
    /// CI runs the shipped rules' examples and cases through this test.
    @Test func theShippedRulesPassTheirExamplesAndCases() throws {
        let result = try Moderate.run(["test", "--rules", "rules"])
        #expect(result.status == 0, "\(result.stdout)\(result.stderr)")
        #expect(result.stdout.contains("all passed"))
        #expect(result.stdout.range(of: #"[1-9]\d* cases"#, options: .regularExpression) != nil, "no case was run")
    }

    @Test func aBrokenExampleAndAFailingCaseAreReportedWithTheirPlaceAndExitOne() throws {
        let rules = try copyOfDefaultRules()
        // The example now contradicts the pattern: a sentence that only mentions subscribing must match the subscribe rule.
        try replace(#"- "sub4sub anyone?""#, with: #"- "I subscribe to nothing""#, in: rules.appendingPathComponent("spam.yaml"))
        try """
            cases:
              - name: ordinary
                body: "A lovely film."
                expect: reject
              - body: "Check out my channel, sub4sub anyone?"
                expect: reject
                rule: links.any-link

            """.write(to: rules.appendingPathComponent("cases/extra.yaml"), atomically: true, encoding: .utf8)
        let result = try Moderate.run(["test", "--rules", rules.path])
        #expect(result.status == 1)
        #expect(result.stdout.contains(#"spam.yaml:28:11: fail: rule spam.subscribe-ask: example "I subscribe to nothing" must match"#),
                "\(result.stdout)")
        #expect(result.stdout.contains(#"cases/extra.yaml:2:5: fail: case "ordinary": expected reject, got approve by no rule"#),
                "\(result.stdout)")
        #expect(result.stdout.contains("reject as expected, but decided by rule spam.check-out-my, not links.any-link"))
        #expect(result.stdout.contains("3 failed"))
    }

    @Test func aNoMatchExampleThatMatchesShowsWhatMatched() throws {
        let rules = try copyOfDefaultRules()
        try replace(#"no_match: ["punycode"]"#, with: #"no_match: ["ip-host"]"#,
                    in: rules.appendingPathComponent("links.yaml"))
        let result = try Moderate.run(["test", "--rules", rules.path])
        #expect(result.status == 1)
        #expect(result.stdout.contains(#"links.yaml:39:18: fail: rule links.ip-address-host: example "ip-host" must not match, but the pattern matches "ip-host" at bytes 0..<7"#),
                "\(result.stdout)")
    }

    @Test func aBadCaseFileIsAnErrorLikeABadRule() throws {
        let rules = try copyOfDefaultRules()
        try "cases:\n  - body: hello\n    expect: maybe\n".write(to: rules.appendingPathComponent("cases/bad.yaml"), atomically: true, encoding: .utf8)
        let result = try Moderate.run(["test", "--rules", rules.path])
        #expect(result.status == 2)
        #expect(result.stderr.contains("cases/bad.yaml:3:13: error: case: expect must be approve, hold or reject, not 'maybe'"), "\(result.stderr)")
    }
}
