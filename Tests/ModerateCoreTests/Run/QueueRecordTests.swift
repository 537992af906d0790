import Foundation
@testable import ModerateCore
import Testing
import PCRE2

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
