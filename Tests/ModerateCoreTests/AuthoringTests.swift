@testable import ModerateCore
import PCRE2
import Testing

@Suite struct NestedQuantifierScanTests {
    @Test(arguments: ["(a+)+", "(\\w*)*", "(.*a){3}", "x(?:[a-z]+\\s)*y", "((ab)+c)+", "(\\d{1,20}-)+$", "(a+?)+"])
    func flagsRepeatedGroupsThatRepeatInside(_ pattern: String) {
        #expect(NestedQuantifierScan.riskyGroup(in: pattern) != nil)
    }

    @Test(arguments: ["(a+)", "(ab)+", "(?>a+)+", "(a++)+", "(a+)*+", "[(a+)]+", "\\(a+\\)+", "(.*a){2}",
                      "(?:https?://|www\\.)(?:.*?(?:https?://|www\\.)){2}", "(a{1,3})+", "(*UCP)\\w+", "\\p{L}+(?:x)+"])
    func leavesSafeShapesAlone(_ pattern: String) {
        #expect(NestedQuantifierScan.riskyGroup(in: pattern) == nil)
    }

    @Test func reportsTheGroupWithItsQuantifier() {
        #expect(NestedQuantifierScan.riskyGroup(in: "^start (\\w+\\s?)+$") == "(\\w+\\s?)+")
    }
}

@Suite struct RuleLinterTests {
    func lint(_ rules: [Rule], words: [String] = CommonWords.all) -> [String] {
        RuleLinter(ruleSet: ruleSet(rules), commonWords: words).warnings().map(\.message)
    }

    @Test func aRuleThatAlwaysDecidesEarlyMakesLaterStagesUnreachable() throws {
        let messages = lint([
            try rule("allow.all", stage: "allow", pattern: "x*", action: .approve),
            try rule("spam.a", stage: "spam", pattern: "\\bviagra\\b", score: 5),
        ])
        #expect(messages.contains { $0.hasPrefix("rule 'allow.all': the pattern matches the empty string") })
        #expect(messages.contains { $0.hasPrefix("rule 'spam.a': can never run: rule 'allow.all'") })
    }

    @Test func anEmptyMatchOnlyScoringLowDoesNotBlockLaterStages() throws {
        let messages = lint([
            try rule("spam.weak", stage: "spam", pattern: "\\b", score: 1),
            try rule("links.a", stage: "links", pattern: "\\bhttp\\b", score: 1),
        ])
        #expect(messages == ["rule 'spam.weak': the pattern matches the empty string, so it fires on every comment that has body; make something in it required"])
    }

    @Test func duplicatesAndShadowedRules() throws {
        let messages = lint([
            try rule("spam.a", stage: "spam", pattern: "\\bfree money\\b", action: .reject),
            try rule("spam.b", stage: "spam", pattern: "\\bfree money\\b", action: .hold),
            try rule("spam.c", stage: "spam", pattern: "\\bfree money\\b", score: 2, fields: [.raw(.author)]),
            try rule("keywords.d", stage: "keywords", pattern: "\\bfree money\\b", score: 3),
            // Different options: not the same match.
            try rule("keywords.e", stage: "keywords", pattern: "\\bfree money\\b", score: 3, options: []),
        ])
        // spam.c looks at another field and keywords.e matches case-sensitively: neither is covered.
        #expect(messages.count == 2, "\(messages)")
        #expect(messages[0].hasPrefix("rule 'spam.b': duplicate of rule 'spam.a' (test.yaml:1:1)"))
        #expect(messages[0].hasSuffix("it can never decide: the other rule's action reject wins over hold"))
        #expect(messages[1].hasPrefix("rule 'keywords.d': can never decide: rule 'spam.a'"))
    }

    @Test func keywordsInsideCommonWordsButNotWithBoundariesOrOnURLs() throws {
        let messages = lint([
            try rule("keywords.cialis", stage: "keywords", pattern: "cialis", score: 4),
            try rule("keywords.bounded", stage: "keywords", pattern: "\\bcialis\\b", score: 4),
            try rule("links.shop", stage: "links", pattern: "cialis", score: 4, fields: [.raw(.authorURL)]),
        ], words: ["hello", "specialist", "cialis"])
        #expect(messages == ["rule 'keywords.cialis': fires inside common words: 'specialist' (cialis); add \\b around the keyword"])
    }

    @Test func theShippedRulesAreClean() throws {
        let ruleSet = try #require(RuleLoader.load(directory: defaultRulesDirectory).ruleSet)
        #expect(RuleLinter(ruleSet: ruleSet).warnings().map(\.description) == [])
    }
}

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

@Suite struct ExplanationTests {
    @Test func snippetKeepsContextOnCharacterBoundariesAndFlattensLines() {
        let text = "Première ligne\nthen buy viagra now, très cher"
        let start = Array(text.utf8).count - " now, très cher".utf8.count - 6
        let snippet = HitSnippet.around(text, start: start, end: start + 6, context: 12)
        #expect(snippet.match == "viagra")
        #expect(snippet.before == "ne then buy ")  // 12 bytes; the line break is a space
        #expect(snippet.after == " now, très ")  // è is two bytes
        #expect(snippet.cutBefore && snippet.cutAfter)
        let whole = HitSnippet.around("viagra", start: 0, end: 6)
        #expect(!whole.cutBefore && !whole.cutAfter && whole.before.isEmpty)
    }

    @Test func stageReportsSayWhereTheDecisionWasMadeAndWhatDidNotRun() throws {
        let set = ruleSet([
            try rule("spam.a", stage: "spam", pattern: "buy", score: 2),
            try rule("links.b", stage: "links", pattern: "http", action: .hold),
            try rule("keywords.c", stage: "keywords", pattern: "buy", score: 9),
        ])
        let moderation = Decider(ruleSet: set).decide(comment("buy at http://x"))
        let reports = StageReport.reports(for: moderation, in: set)
        #expect(reports.map(\.stage) == ["allow", "spam", "links", "keywords"])
        #expect(reports.map(\.outcome) == [.passed, .passed, .decided, .notRun(decidedIn: "links")])
        #expect(reports.map(\.scoreAfter) == [0, 2, 2, 2])
        #expect(reports[1].fired.map(\.rule) == ["spam.a"])
    }
}

@Suite struct EvaluationTests {
    func input(_ json: String) -> InputComment {
        InputComment(comment: comment("x"), source: "t", line: 1, originalJSON: Array(json.utf8))
    }

    @Test func labelsFromStringsNumbersAndBooleans() throws {
        let spec = try #require(LabelSpec(argument: "label"))
        #expect(spec.isSpam(input(#"{"body":"x","label":"1"}"#)) == true)
        #expect(spec.isSpam(input(#"{"body":"x","label":1}"#)) == true)
        #expect(spec.isSpam(input(#"{"body":"x","label":true}"#)) == true)
        #expect(spec.isSpam(input(#"{"body":"x","label":" SPAM "}"#)) == true)
        #expect(spec.isSpam(input(#"{"body":"x","label":"0"}"#)) == false)
        #expect(spec.isSpam(input(#"{"body":"x","label":false}"#)) == false)
        #expect(spec.isSpam(input(#"{"body":"x","label":""}"#)) == nil)
        #expect(spec.isSpam(input(#"{"body":"x"}"#)) == nil)
        let custom = try #require(LabelSpec(argument: "class=junk"))
        #expect(custom.field == "class")
        #expect(custom.isSpam(input(#"{"body":"x","class":"Junk"}"#)) == true)
        #expect(custom.isSpam(input(#"{"body":"x","class":"1"}"#)) == false)
        #expect(LabelSpec(argument: "=spam") == nil)
        #expect(LabelSpec(argument: "label=") == nil)
    }

    @Test func countsDecisionsByLabelAndRuleHits() throws {
        let set = ruleSet([
            try rule("spam.a", stage: "spam", pattern: "buy", score: 3),
            try rule("spam.never", stage: "spam", pattern: "zzz", score: 3),
        ])
        let decider = Decider(ruleSet: set)
        var evaluation = Evaluation(ruleSet: set)
        evaluation.add(decider.decide(comment("buy now")), isSpam: true)
        evaluation.add(decider.decide(comment("buy a ticket")), isSpam: false)
        evaluation.add(decider.decide(comment("hello")), isSpam: true)
        evaluation.add(decider.decide(comment("buy")), isSpam: nil)
        #expect(evaluation.count(.hold, spam: true) == 1)
        #expect(evaluation.count(.hold, spam: false) == 1)
        #expect(evaluation.count(.approve, spam: true) == 1)
        #expect(evaluation.labelled == 3)
        #expect(evaluation.unlabelled == 1)
        #expect(evaluation.rules[0] == RuleEvaluation(rule: "spam.a", stage: "spam", spamHits: 1, hamHits: 1))
        #expect(evaluation.rules[0].precision == 0.5)
        #expect(evaluation.rules[1].precision == nil)
        #expect(evaluation.neverFired == ["spam.never"])
    }
}

@Suite struct DecisionDiffTests {
    @Test func groupsChangedDecisionsAndNamesTheRulesThatMoved() throws {
        let old = Decider(ruleSet: ruleSet([
            try rule("spam.a", stage: "spam", pattern: "buy", score: 3),
            try rule("spam.gone", stage: "spam", pattern: "cheap", score: 4),
        ]))
        let new = Decider(ruleSet: ruleSet([
            try rule("spam.a", stage: "spam", pattern: "buy", score: 1),
            try rule("links.new", stage: "links", pattern: "http", action: .reject),
        ]))
        var diff = DecisionDiff()
        for (index, body) in ["buy now", "cheap buy", "see http://x", "hello"].enumerated() {
            let text = comment(body)
            diff.add(commentID: "c\(index)", origin: "t:\(index + 1)", old: old.decide(text), new: new.decide(text))
        }
        #expect(diff.compared == 4)
        #expect(diff.groups.map { "\($0.from.rawValue)>\($0.to.rawValue):\($0.changes.map(\.commentID))" }
                == ["hold>approve:[\"c0\"]", "reject>approve:[\"c1\"]", "approve>reject:[\"c2\"]"])
        let cheap = diff.changes[1]
        #expect(cheap.noLongerFiring == ["spam.gone"])
        #expect(cheap.nowFiring == [])
        #expect(cheap.scoreChanges.map(\.rule) == ["spam.a"])
        #expect(diff.changes[2].nowFiring == ["links.new"])
    }
}
