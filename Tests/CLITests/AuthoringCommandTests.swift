import Foundation
import Testing

/// A copy of the shipped rules in a scratch folder, to edit for one test.
func copyOfDefaultRules() throws -> URL {
    let copy = try scratchDirectory().appendingPathComponent("rules")
    try FileManager.default.copyItem(at: Moderate.packageRoot.appendingPathComponent("rules"), to: copy)
    return copy
}

func raiseLinkScoreAndDistrustWikipedia(in rules: URL) throws {
    try replace("at_least: 1\n    score: 2", with: "at_least: 1\n    score: 3", in: rules.appendingPathComponent("links.yaml"))
    try replace("wikipedia.org\n", with: "", in: rules.appendingPathComponent("lists/allowed-domains.txt"))
}

func replace(_ old: String, with new: String, in file: URL) throws {
    let text = try String(contentsOf: file, encoding: .utf8)
    #expect(text.contains(old), "\(file.lastPathComponent) no longer contains \(old)")
    try text.replacingOccurrences(of: old, with: new).write(to: file, atomically: true, encoding: .utf8)
}

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

@Suite(.serialized) struct ExplainCommandTests {
    @Test func showsStagesFiredRulesTheMatchInContextAndStagesThatDidNotRun() throws {
        let result = try Moderate.run(["explain", "--text", "Great film. Check out my channel, sub4sub anyone?"])
        #expect(result.status == 0, "\(result.stderr)")
        let expected = """
            comment text-1 (--text)
              stage allow: no rule fired (0 checked)
              stage spam: 4 of 20 rules fired, score now 15
                spam.check-out-my score +4
                  Asks readers to check out, visit or watch the poster's own channel, page or site.
                  body 12..<32: Great film. [Check out my channel], sub4sub anyone?
                spam.subscribe-ask score +4
                  Asks for subscribers, likes or follows in return ("sub to my channel", "sub4sub").
                  body 34..<41: …t film. Check out my channel, [sub4sub] anyone?
                spam.go-see-this score +4
                  Points readers at something to go and see ("check it out", "go check", "check out X", "search for"); honest comments say this too, so it holds.
                  body 12..<21: Great film. [Check out] my channel, sub4sub anyone?
                spam.own-channel-talk score +3
                  The poster talks about their own channel, videos or music, the start of most self-promotion.
                  body 22..<32: Great film. Check out [my channel], sub4sub anyone?
              stage links: not run, stage spam already decided reject
              stage keywords: not run, stage spam already decided reject
              decision: reject by spam.check-out-my, score 15: score 15 reached the reject threshold 7
            """
        #expect(result.stdout.hasPrefix(expected), "\(result.stdout)")
        // Piped output is plain text: no escape codes unless asked for.
        #expect(!result.stdout.contains("\u{1B}["))
        let coloured = try Moderate.run(["explain", "--color", "always", "--text", "sub4sub"])
        #expect(coloured.stdout.contains("\u{1B}[1;7msub4sub\u{1B}[0m"))
    }

    @Test func explainsEveryCommentOfAnExportWithItsPlace() throws {
        let result = try Moderate.run(["explain", "--format", "jsonl", "fixtures/film-blog.jsonl"])
        #expect(result.status == 0, "\(result.stderr)")
        #expect(result.stdout.components(separatedBy: "\ncomment ").count == 24)
        #expect(result.stdout.contains("comment c011 (fixtures/film-blog.jsonl:11)"))
        #expect(result.stdout.contains("author_url 13..<18: https://best-[cheap]-pills.example/"))
    }

    @Test func needsAnInputOrText() throws {
        let result = try Moderate.run(["explain"])
        #expect(result.status == 64)
        let missing = try Moderate.run(["explain", "no-such-file.jsonl"])
        #expect(missing.status == 66)
    }
}

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
        #expect(result.stdout.contains("never fired (28): spam.contact-bait,"))
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

@Suite(.serialized) struct DiffCommandTests {
    @Test func listsTheCommentsWhoseQueueChangesGroupedWithTheRulesResponsible() throws {
        let old = Moderate.packageRoot.appendingPathComponent("rules").path
        let new = try copyOfDefaultRules()
        // Raise the link score and stop trusting wikipedia links: single links now reach the hold threshold.
        try raiseLinkScoreAndDistrustWikipedia(in: new)
        let result = try Moderate.run(["diff", "--rules", new.path, "--against", old, "fixtures/film-blog.jsonl"])
        #expect(result.status == 0, "\(result.stderr)")
        #expect(result.stdout.contains("approve → hold: "), "\(result.stdout)")
        #expect(result.stdout.contains("""
              c004 (fixtures/film-blog.jsonl:4)
                now:    hold by links.any-link (score 3 reached the hold threshold 3)
                before: approve (no rule decided and score 0 is under the hold threshold)
                fires now only: links.any-link
            """), "\(result.stdout)")
        #expect(result.stdout.range(of: #"\n\d+ of 24 comments change queue: \d+ approve → hold"#, options: .regularExpression) != nil)

        let json = try Moderate.run(["diff", "--json", "--rules", new.path, "--against", old, "fixtures/film-blog.jsonl"])
        #expect(json.status == 0, "\(json.stderr)")
        let object = try #require(try JSONSerialization.jsonObject(with: Data(json.stdout.utf8)) as? [String: Any])
        #expect(object["compared"] as? Int == 24)
        let groups = try #require(object["groups"] as? [[String: Any]])
        let toHold = try #require(groups.first { $0["from"] as? String == "approve" && $0["to"] as? String == "hold" })
        let comments = try #require(toHold["comments"] as? [[String: Any]])
        #expect(toHold["count"] as? Int == comments.count)
        let c004 = try #require(comments.first { $0["id"] as? String == "c004" })
        #expect((c004["now"] as? [String: Any])?["rule"] as? String == "links.any-link")
        #expect((c004["before"] as? [String: Any])?["rule"] is NSNull)
        #expect(c004["fires_now_only"] as? [String] == ["links.any-link"])
    }

    @Test func comparesUncommittedEditsWithTheCommittedRulesInOneCommand() throws {
        let rules = try copyOfDefaultRules()
        let checkout = rules.deletingLastPathComponent()
        func git(_ arguments: [String]) throws {
            let process = Process()
            process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
            process.arguments = ["git", "-C", checkout.path, "-c", "user.name=test", "-c", "user.email=test@example.org"] + arguments
            process.standardOutput = FileHandle.nullDevice
            try process.run()
            process.waitUntilExit()
            #expect(process.terminationStatus == 0, "git \(arguments)")
        }
        try git(["init", "-q"])
        try git(["add", "."])
        try git(["commit", "-q", "-m", "rules"])
        try raiseLinkScoreAndDistrustWikipedia(in: rules)
        let export = Moderate.packageRoot.appendingPathComponent("fixtures/film-blog.jsonl").path
        let result = try Moderate.run(["diff", "--against-git", "HEAD", export], in: checkout)
        #expect(result.status == 0, "\(result.stderr)")
        #expect(result.stdout.hasSuffix("2 of 24 comments change queue: 1 approve → hold, 1 hold → reject\n"), "\(result.stdout)")

        let unknown = try Moderate.run(["diff", "--against-git", "no-such-revision", export], in: checkout)
        #expect(unknown.status == 2)
        #expect(unknown.stderr.contains("cannot read rules at git revision no-such-revision"))
        let neither = try Moderate.run(["diff", export], in: checkout)
        #expect(neither.status == 64)
    }

    @Test func identicalRulesChangeNothing() throws {
        let result = try Moderate.run(["diff", "--rules", "rules", "--against", "rules", "fixtures/film-blog.jsonl"])
        #expect(result.status == 0)
        #expect(result.stdout == "0 of 24 comments change queue\n")
    }

    @Test func anErrorInTheOldRulesExitsTwo() throws {
        let old = try copyOfDefaultRules()
        try replace("stage: links", with: "stage: nowhere", in: old.appendingPathComponent("links.yaml"))
        let result = try Moderate.run(["diff", "--against", old.path, "fixtures/film-blog.jsonl"])
        #expect(result.status == 2)
        #expect(result.stderr.contains("links.yaml"))
    }
}

@Suite(.serialized) struct LintWarningTests {
    @Test func warnsAboutEachKindOfMistakeWithItsPlaceAndExitsZero() throws {
        let result = try Moderate.run(["lint", "--rules", "fixtures/lint-rules"])
        #expect(result.status == 0, "\(result.stdout)")
        let lines = result.stdout.split(separator: "\n").map(String.init)
        func expectWarning(_ prefix: String, _ text: String) {
            #expect(lines.contains { $0.hasPrefix("fixtures/lint-rules/\(prefix): warning: ") && $0.contains(text) },
                    "\(prefix) \(text)\n\(result.stdout)")
        }
        expectWarning("allow.yaml:3:5", "rule 'allow.everyone': the pattern matches the empty string")
        expectWarning("spam.yaml:3:5", "rule 'spam.channel': can never run: rule 'allow.everyone'")
        expectWarning("spam.yaml:10:5", "duplicate of rule 'spam.channel' (fixtures/lint-rules/spam.yaml:3:5)")
        expectWarning("spam.yaml:17:5", "nested quantifiers in '(\\w+\\s?)+'")
        expectWarning("spam.yaml:24:5", "nested quantifiers in '(.*,){5}'")
        expectWarning("keywords.yaml:3:5", "fires inside common words: 'specialist' (cialis), 'pillow' (pill); set whole_words: true")
        expectWarning("keywords.yaml:11:5", "fires inside common words: 'learn' (earn)")
        expectWarning("keywords.yaml:18:5", "can never decide: rule 'spam.channel' (fixtures/lint-rules/spam.yaml:3:5)")
        #expect(result.stdout.contains("14 warning(s)"))
    }

    @Test func theShippedRulesHaveNoWarnings() throws {
        let result = try Moderate.run(["lint", "--rules", "rules"])
        #expect(result.status == 0)
        #expect(!result.stdout.contains("warning:"), "\(result.stdout)")
        #expect(result.stdout.contains("0 warning(s)"))
    }
}
