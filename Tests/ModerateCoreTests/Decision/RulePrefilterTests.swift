import Foundation
@testable import ModerateCore
import PCRE2
import Testing

/// Texts to try rules on: every fixture body, every rule example, and each of them shouted,
/// with the lookalikes PCRE2 folds caselessly (ſ for s, K for k) and with its words run together.
private func sampleTexts(rules: [Rule]) throws -> [String] {
    let fixtures = repositoryRoot.appendingPathComponent("fixtures")
    var texts: [String] = []
    for name in ["film-blog.jsonl", "obfuscated-spam.jsonl", "labelled.jsonl"] {
        let lines = try String(contentsOf: fixtures.appendingPathComponent(name), encoding: .utf8).split(separator: "\n")
        for line in lines {
            if case .success(let input) = JSONLineDecoder.decode(Array(line.utf8), source: name, lineNumber: 1) {
                texts += input.comment.fields.values
            }
        }
    }
    for rule in rules { texts += rule.examples.match + rule.examples.noMatch }
    return texts.flatMap { text in
        [text, text.uppercased(), text.replacingOccurrences(of: "s", with: "\u{017F}"),
         text.replacingOccurrences(of: "k", with: "\u{212A}").replacingOccurrences(of: "K", with: "\u{212A}"),
         text.replacingOccurrences(of: " ", with: "")]
    }
}

@Suite struct RulePrefilterTests {
    /// The prefilter's promise: it never skips a rule on a text the rule matches. Checked for
    /// the default rules and the benchmark's rules, every rule against every sample text.
    @Test(arguments: ["rules", "Benchmarks/limit-rules"])
    func neverSkipsARuleThatMatches(directory: String) throws {
        let root = repositoryRoot
        let result = RuleLoader.load(directory: root.appendingPathComponent(directory).path)
        let ruleSet = try #require(result.ruleSet)
        let rules = ruleSet.rules
        let prefilter = RulePrefilter(rules: rules)
        #expect(prefilter.gatedRuleCount > rules.count / 2)
        let session = MatchSession(limits: .standard)
        var matchesSeen = 0
        for text in try sampleTexts(rules: rules) {
            var present = [UInt64](repeating: 0, count: prefilter.scanner.wordCount)
            var copy = text
            let runs = copy.withUTF8 { bytes in
                present.withUnsafeMutableBufferPointer { prefilter.scanner.scan(bytes, into: $0) }
            }
            for (ordinal, rule) in rules.enumerated() {
                guard let regex = rule.regex, case .match = session.firstMatch(of: regex, in: text) else { continue }
                matchesSeen += 1
                let allowed = present.withUnsafeBufferPointer { prefilter.mayMatch(ruleAt: ordinal, present: $0, runs: runs) }
                #expect(allowed, "\(rule.id) matches \(text.debugDescription) but its prefilter would skip it")
            }
        }
        #expect(matchesSeen > 100)
    }

    /// Another thread's copy (`copyForAnotherThread`, what `moderate run --jobs 2` gives its
    /// second decider) finds the same groups and lets the same rules run as the original.
    @Test func aCopyForAnotherThreadGatesLikeTheOriginal() throws {
        let result = RuleLoader.load(directory: repositoryRoot.appendingPathComponent("rules").path)
        let rules = try #require(result.ruleSet).rules
        let original = RulePrefilter(rules: rules)
        let copy = original.copyForAnotherThread()
        #expect(copy.gatedRuleCount == original.gatedRuleCount)
        func gates(_ prefilter: RulePrefilter, _ text: String) -> [Bool] {
            var present = [UInt64](repeating: 0, count: prefilter.scanner.wordCount)
            var bytes = text
            let runs = bytes.withUTF8 { bytes in
                present.withUnsafeMutableBufferPointer { prefilter.scanner.scan(bytes, into: $0) }
            }
            return present.withUnsafeBufferPointer { present in
                rules.indices.map { prefilter.mayMatch(ruleAt: $0, present: present, runs: runs) }
            }
        }
        var skipped = 0
        for text in try sampleTexts(rules: rules) {
            let allowed = gates(original, text)
            #expect(gates(copy, text) == allowed, "\(text.debugDescription)")
            skipped += allowed.count { !$0 }
        }
        #expect(skipped > 0)
    }

    /// The scanner against the plain check (`RequiredLiterals.isMet`), on random texts over a small alphabet
    /// so that literals occur often, overlap and nest.
    @Test func scannerFindsExactlyTheGroupsWhoseLiteralsOccur() {
        var generator = SystemRandomNumberGenerator()
        let alphabet = Array("abAB c.€".unicodeScalars)
        func randomText(_ length: Int) -> String {
            String(String.UnicodeScalarView((0..<length).map { _ in alphabet.randomElement(using: &generator)! }))
        }
        let groups: [[[UInt8]]] = (0..<70).map { _ in
            (0..<Int.random(in: 1...3, using: &generator)).map { _ in
                Array(randomText(Int.random(in: 1...4, using: &generator)).lowercased().utf8)
            }
        }
        let scanner = LiteralScanner(groups: groups)
        #expect(scanner.wordCount == 2)
        for _ in 0..<300 {
            var text = randomText(Int.random(in: 0...30, using: &generator))
            var present = [UInt64](repeating: 0, count: scanner.wordCount)
            text.withUTF8 { bytes in present.withUnsafeMutableBufferPointer { scanner.scan(bytes, into: $0) } }
            for (index, group) in groups.enumerated() {
                let expected = RequiredLiterals(allOf: [group]).isMet(by: text)
                let found = present[index >> 6] & (1 << UInt64(index & 63)) != 0
                #expect(found == expected, "group \(index) \(group) in \(text.debugDescription)")
            }
        }
    }

    /// Skipped rules change nothing: the sample export decides the same with the prefilter's
    /// gates as without them (all rules run).
    @Test func decisionsAreTheSameWithoutThePrefilter() throws {
        let result = RuleLoader.load(directory: defaultRulesDirectory)
        let ruleSet = try #require(result.ruleSet)
        let fixtures = URL(fileURLWithPath: defaultRulesDirectory).deletingLastPathComponent().appendingPathComponent("fixtures")
        let lines = try String(contentsOf: fixtures.appendingPathComponent("obfuscated-spam.jsonl"), encoding: .utf8)
            .split(separator: "\n") + String(contentsOf: fixtures.appendingPathComponent("film-blog.jsonl"), encoding: .utf8)
            .split(separator: "\n")
        let ungated = RuleSet(stages: ruleSet.stages.map { stage in
            Stage(name: stage.name, rules: stage.rules.map { $0.withoutRequiredLiterals() }, learned: stage.learned)
        }, thresholds: ruleSet.thresholds, limits: ruleSet.limits, linkPolicy: ruleSet.linkPolicy,
           burstWindowSeconds: ruleSet.burstWindowSeconds, fingerprint: ruleSet.fingerprint)
        #expect(RulePrefilter(rules: ungated.rules).gatedRuleCount == 0)
        let gatedDecider = Decider(ruleSet: ruleSet)
        let ungatedDecider = Decider(ruleSet: ungated)
        for line in lines {
            guard case .success(let input) = JSONLineDecoder.decode(Array(line.utf8), source: "f", lineNumber: 1) else { continue }
            let gated = gatedDecider.decide(input.comment)
            let plain = ungatedDecider.decide(input.comment)
            #expect(gated.decision == plain.decision)
            #expect(gated.fired.map(\.rule) == plain.fired.map(\.rule))
            #expect(gated.score == plain.score)
        }
    }
}
