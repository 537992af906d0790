import Foundation
import Testing

@Suite(.serialized) struct EvalCommandTests {
    @Test func tablesDecisionsByLabelAndRulePrecision() throws {
        let result = try Moderate.run(["eval", "--label", "label", "fixtures/labelled.jsonl"])
        #expect(result.status == 0, "\(result.stderr)")
        let lines = result.stdout.split(separator: "\n").map(String.init)
        #expect(lines.prefix(6) == [
            "decision  spam  ham",
            "--------  ----  ---",
            "approve      1    3",
            "hold         0    2",
            "reject       4    0",
            "total        5    5",
        ])
        #expect(result.stdout.contains("10 labelled comments (label field 'label', spam = 1|spam|true|yes), 1 without a label"))
        // The wikipedia link of one ham comment does not count: wikipedia.org is an allowed domain.
        #expect(lines.contains("links.any-link                  links             1         1       0.50"))
        #expect(result.stdout.contains("never fired (32): spam.contact-bait,"))
    }

    @Test func jsonReportAndACustomSpamValue() throws {
        let result = try Moderate.run(["eval", "--label", "label=0", "--json", "fixtures/labelled.jsonl"])
        #expect(result.status == 0, "\(result.stderr)")
        let object = try #require(try JSONSerialization.jsonObject(with: Data(result.stdout.utf8)) as? [String: Any])
        // With "0" as the spam value the labels swap.
        let decisions = try #require(object["decisions"] as? [String: [String: Int]])
        #expect(decisions["approve"] == ["spam": 3, "ham": 1])
        #expect(decisions["reject"] == ["spam": 0, "ham": 4])
        #expect(object["unlabelled"] as? Int == 1)
        let rules = try #require(object["rules"] as? [[String: Any]])
        let anyLink = try #require(rules.first { $0["rule"] as? String == "links.any-link" })
        #expect(anyLink["spam_hits"] as? Int == 1)
        #expect(anyLink["ham_hits"] as? Int == 1)
    }
}
