import Foundation
@testable import ModerateCore
import Testing

@Suite struct JSONLineDecoderTests {
    func decode(_ line: String) -> Result<InputComment, InputError> {
        JSONLineDecoder.decode(Array(line.utf8), source: "export.jsonl", lineNumber: 7)
    }

    @Test func readsTheSchemaFields() throws {
        let input = try decode(#"{"id":"c1","post":42,"author":"Ann","author_email":"a@x.test","ip":"192.0.2.1","body":"Hi"}"#).get()
        #expect(input.comment.id == "c1")
        #expect(input.comment[.post] == "42")
        #expect(input.comment[.authorEmail] == "a@x.test")
        #expect(input.comment[.body] == "Hi")
        #expect(!input.comment.idWasDerived)
    }

    @Test func numericIDsAreKeptAsText() throws {
        #expect(try decode(#"{"id":1,"body":"x"}"#).get().comment.id == "1")
        #expect(try decode(#"{"id":0,"body":"x"}"#).get().comment.id == "0")
        #expect(try decode(#"{"id":123456789012,"body":"x"}"#).get().comment.id == "123456789012")
    }

    @Test func missingIDIsDerivedFromTheContentAndStable() throws {
        let first = try decode(#"{"author":"Ann","body":"Hello"}"#).get().comment
        let again = try decode(#"{"body":"Hello", "author":"Ann"}"#).get().comment
        let other = try decode(#"{"author":"Ann","body":"Hello!"}"#).get().comment
        let moved = try decode(#"{"author":"AnnHello","body":""}"#).get().comment
        #expect(first.idWasDerived)
        #expect(first.id.hasPrefix("sha256:"))
        #expect(first.id == again.id)
        #expect(first.id != other.id)
        #expect(first.id != moved.id)
    }

    @Test(arguments: [
        ("{\"body\": \"unterminated", "not valid JSON"),
        ("[1, 2]", "not a comment: a JSON object was expected"),
        ("{\"author\": \"x\"}", "not a comment: no \"body\" field"),
        ("{\"body\": 42}", "not a comment: \"body\" must be a string"),
    ])
    func inputThatIsNotACommentIsAnErrorWithItsPlace(line: String, reason: String) {
        guard case .failure(let error) = decode(line) else {
            Issue.record("expected an error")
            return
        }
        #expect(error.reason.hasPrefix(reason))
        #expect(error.line == 7)
        #expect(error.source == "export.jsonl")
        #expect(error.raw == Array(line.utf8))
    }

    @Test func invalidUTF8IsRepairedAndSaidSo() throws {
        var bytes = Array(#"{"id":"x","body":"caf"#.utf8)
        bytes += [0xE9] + Array(#" au lait"}"#.utf8)  // Latin-1 é
        let input = try JSONLineDecoder.decode(bytes, source: "s", lineNumber: 1).get()
        #expect(input.comment[.body] == "caf\u{FFFD} au lait")
        #expect(input.repair != nil)
    }
}

@Suite struct QueueRecordTests {
    @Test func recordIsTheOriginalBytesPlusAModerationObject() throws {
        let line = #"{"id": "c9", "body": "Buy viagra", "likes": 3.50, "extra": {"nested": [1, null]}}"#
        let input = try JSONLineDecoder.decode(Array(line.utf8), source: "s", lineNumber: 1).get()
        let decider = Decider(ruleSet: ruleSet([try rule("pills", stage: "keywords", pattern: "viagra", action: .reject)]))
        let record = QueueRecord.encode(input, decider.decide(input.comment))
        let text = String(decoding: record, as: UTF8.self)
        // Every original byte is kept, in order, up to the closing brace.
        #expect(text.hasPrefix(String(line.dropLast())))
        #expect(text.hasSuffix("}\n"))
        let object = try #require(try JSONSerialization.jsonObject(with: Data(record)) as? [String: Any])
        let moderation = try #require(object["moderation"] as? [String: Any])
        #expect(moderation["decision"] as? String == "reject")
        #expect(moderation["rule"] as? String == "pills")
        #expect(moderation["stage"] as? String == "keywords")
        #expect(moderation["rules"] as? String == "sha256:test")
        let fired = try #require(moderation["fired"] as? [[String: Any]])
        let hit = try #require((fired.first?["hits"] as? [[String: Any]])?.first)
        #expect(hit["field"] as? String == "body")
        #expect(hit["text"] as? String == "viagra")
        #expect(hit["start"] as? Int == 4)
        #expect(hit["end"] as? Int == 10)
    }

    @Test func anOldModerationFieldIsReplacedNotDuplicated() throws {
        let line = #"{"body":"hi","moderation":{"decision":"reject"}}"#
        let input = try JSONLineDecoder.decode(Array(line.utf8), source: "s", lineNumber: 1).get()
        let record = QueueRecord.encode(input, Decider(ruleSet: ruleSet([])).decide(input.comment))
        let text = String(decoding: record, as: UTF8.self)
        #expect(text.components(separatedBy: "\"moderation\"").count == 2)
        let object = try #require(try JSONSerialization.jsonObject(with: Data(record)) as? [String: Any])
        #expect((object["moderation"] as? [String: Any])?["decision"] as? String == "approve")
    }

    @Test func errorRecordKeepsRawBytesEvenWhenTheyAreNotText() throws {
        let raw: [UInt8] = [0x7B, 0xFF, 0x22]
        let record = ErrorRecord.encode(InputError(source: "a.jsonl", line: 3, reason: "bad", raw: raw))
        let object = try #require(try JSONSerialization.jsonObject(with: Data(record)) as? [String: Any])
        #expect(object["line"] as? Int == 3)
        #expect(object["source"] as? String == "a.jsonl")
        #expect(Data(base64Encoded: object["raw_base64"] as? String ?? "") == Data(raw))
    }
}

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

import PCRE2

extension MatchResult {
    var isMatch: Bool { if case .match = self { return true } else { return false } }
}

@Suite struct FieldKindTests {
    @Test func booleanFieldsAreNotText() throws {
        let input = try JSONLineDecoder.decode(Array(#"{"id":true,"post":false,"body":"x"}"#.utf8), source: "s", lineNumber: 1).get()
        #expect(input.comment.idWasDerived)
        #expect(input.comment[.post] == nil)
    }
}
