import Foundation
import PCRE2
@testable import ModerateCore
import Testing

@Suite struct PhraseTreeTests {
    /// The flat alternation the tree replaces, longest phrases first.
    func flatPattern(_ phrases: [String]) -> String {
        let alternatives = Set(phrases).sorted { ($0.count, $0) > ($1.count, $1) }.map { PhraseList.tokens(of: $0).joined() }
        return "(?<!\\w)(?:" + alternatives.joined(separator: "|") + ")(?!\\w)"
    }

    @Test func theTreeMatchesExactlyWhatTheFlatListMatches() throws {
        let phrases = ["cheap", "cheap pills", "cheaper", "pills", "pill", "free spins", "free", "a.b", "c++", "ça va", "$$$"]
        let tree = try Regex(PhraseList.pattern(for: phrases, wholeWords: true), options: [.caseless, .unicodeProperties])
        let flat = try Regex(flatPattern(phrases), options: [.caseless, .unicodeProperties])
        let session = MatchSession()
        let texts = ["Cheap  pills and cheaper PILLS", "free\nspins, free!", "cheapest pill pills", "a.b c++ ça va",
                     "pay $$$ now", "xcheap cheapx", "a.bc", "", "cheap pills cheap"]
        for text in texts {
            let bytes = Array(text.utf8)
            let fromTree = bytes.withUnsafeBufferPointer { session.allMatches(of: tree, in: $0).matches }
            let fromFlat = bytes.withUnsafeBufferPointer { session.allMatches(of: flat, in: $0).matches }
            #expect(fromTree == fromFlat, "\(text)")
        }
        #expect(PhraseList.pattern(for: ["cheap", "cheap pills", "cheaper"], wholeWords: false)
                == "(?:cheap(?:\\s+pills|er)?)")
    }

    @Test func aTenThousandPhraseListCompiles() throws {
        let phrases = (0..<10_000).map { "word\($0)x" }
        // Too large for one PCRE2 pattern: it is split into parts that match as one.
        #expect(throws: RegexCompileError.self) {
            try Regex(PhraseList.pattern(for: phrases, wholeWords: true), options: [.caseless, .unicodeProperties])
        }
        let regex = try PhraseList.regex(for: phrases, wholeWords: true, options: [.caseless, .unicodeProperties])
        let session = MatchSession()
        #expect(session.firstMatch(of: regex, in: "say word9999x now") == .match(4..<13))
        #expect(session.firstMatch(of: regex, in: "word12x and word0x") == .match(0..<7))
        #expect(session.firstMatch(of: regex, in: "word12 and word0xy") == .noMatch)
        let all = Array("word5x word7000x word5x".utf8).withUnsafeBufferPointer { session.allMatches(of: regex, in: $0).matches }
        #expect(all == [0..<6, 7..<16, 17..<23])
    }
}
