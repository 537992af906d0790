import Foundation
@testable import ModerateCore
import Testing
import PCRE2

extension MatchResult {
    var isMatch: Bool { if case .match = self { return true } else { return false } }
}

@Suite struct RuleFieldTests {
    @Test func booleanFieldsAreNotText() throws {
        let input = try JSONLineDecoder.decode(Array(#"{"id":true,"post":false,"body":"x"}"#.utf8), source: "s", lineNumber: 1).get()
        #expect(input.comment.idWasDerived)
        #expect(input.comment[.post] == nil)
    }
}
