import Foundation
import PCRE2
@testable import ModerateCore
import Testing

@Suite struct FlatJSONObjectTests {
    /// The fast reader gives exactly what the general one gives, or declines.
    @Test func fastReaderAgreesWithJSONSerialization() throws {
        var lines = [
            #"{"id":"a1","body":"plain","post":3,"author":"Ann"}"#,
            #"{"body":"esc \" \\ \/ \n \t \u00e9 \ud83d\ude00 end","id":"x"}"#,
            #"  { "body" : "spaces" , "post" : -0 , "parent" : null , "ip" : true }  "#,
            #"{"body":"n","post":123456789012345}"#,
            #"{"body":"n","post":1234567890123456}"#,
            #"{"body":"n","post":3.5}"#, #"{"body":"n","post":1e3}"#, #"{"body":"n","post":0123}"#,
            #"{"body":"nested","meta":{"a":[1,2,{"b":"c"}]},"author":"Bo"}"#,
            #"{"body":"dup","id":"1","id":"2"}"#, #"{"body":"a","moderation":{"decision":"hold"}}"#,
            #"{"body":5}"#, #"{"id":"no body"}"#, #"{"body":"x",}"#, #"{"body":"x""#, #"["body"]"#,
            #"{"body":"bad \x escape"}"#, #"{"body":"lone \udc00"}"#, #"{"body":"lone \ud800 x"}"#,
            "{\"body\":\"control \u{01} char\"}", #"{"b\u006fdy":"escaped key"}"#, #"{}"#, #"{"body":""}"#,
            #"{"body":"x"} trailing"#, #"{"body":"x","author_email":"e@x.org","user_agent":"UA/1.0"}"#,
        ]
        let fixtures = URL(fileURLWithPath: defaultRulesDirectory).deletingLastPathComponent().appendingPathComponent("fixtures")
        for name in ["film-blog.jsonl", "obfuscated-spam.jsonl", "labelled.jsonl"] {
            lines += try String(contentsOf: fixtures.appendingPathComponent(name), encoding: .utf8)
                .split(separator: "\n").map(String.init)
        }
        for line in lines {
            let fast = JSONLineDecoder.decode(Array(line.utf8), source: "t", lineNumber: 7)
            let general = JSONLineDecoder.decode(Array(line.utf8), source: "t", lineNumber: 7, generalOnly: true)
            switch (fast, general) {
            case (.success(let a), .success(let b)):
                #expect(a.comment.fields == b.comment.fields, "\(line)")
                #expect(a.comment.id == b.comment.id, "\(line)")
                #expect(a.originalJSON == b.originalJSON, "\(line)")
            case (.failure(let a), .failure(let b)):
                #expect(a == b, "\(line)")
            default:
                Issue.record("readers disagree on \(line): \(fast) vs \(general)")
            }
        }
    }
}
