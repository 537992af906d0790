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

    @Test func aRepeatedKeyThatModerateReadsIsNotModerated() throws {
        for line in [#"{"id":"d1","body":"hello friend","body":"buy cheap pills"}"#,
                     #"{"id":"d1","body":"hello friend","b\u006fdy":"buy cheap pills"}"#,
                     #"{"id":"d1","id":"d2","body":"hello"}"#,
                     #"{"body":"hello","moderation":{"decision":"approve"},"moderation":{}}"#] {
            guard case .failure(let error) = decode(line) else { Issue.record("moderated: \(line)"); continue }
            #expect(error.reason.contains("appears more than once"), "\(error.reason)")
            #expect(error.line == 7 && error.raw == Array(line.utf8))
        }
    }

    @Test func aRepeatedKeyModerateDoesNotReadIsCarriedAsItIs() throws {
        let carried = #"{"id":"d3","body":"hello","tag":"a","tag":"b","meta":{"x":1,"x":2}}"#
        let input = try decode(carried).get()
        #expect(input.comment[.body] == "hello")
        #expect(input.originalJSON == Array(carried.utf8))
        #expect(DuplicateKeys.topLevel(in: Array(carried.utf8)) == ["tag"])
        #expect(DuplicateKeys.topLevel(in: Array(#"{"a":"{\"a\":1}","b":[{"a":1},{"a":2}]}"#.utf8)).isEmpty)
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
