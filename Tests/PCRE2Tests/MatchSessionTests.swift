import PCRE2
import Testing

@Suite struct MatchSessionTests {
    let session = MatchSession()

    @Test func matchReportsByteOffsets() throws {
        let regex = try Regex("world")
        #expect(session.firstMatch(of: regex, in: "héllo world") == .match(7..<12))
        #expect(session.firstMatch(of: regex, in: "hello") == .noMatch)
    }

    @Test func caselessIsAnOption() throws {
        #expect(session.firstMatch(of: try Regex("viagra"), in: "VIAGRA") == .noMatch)
        #expect(session.firstMatch(of: try Regex("viagra", options: .caseless), in: "VIAGRA") == .match(0..<6))
        // Caseless works beyond ASCII in UTF mode.
        #expect(session.firstMatch(of: try Regex("фильм", options: .caseless), in: "ФИЛЬМ") != .noMatch)
    }

    @Test func unicodePropertiesMakeWordCharactersWorkInEveryScript() throws {
        #expect(session.firstMatch(of: try Regex("\\w+"), in: "café") == .match(0..<3))
        #expect(session.firstMatch(of: try Regex("\\w+", options: .unicodeProperties), in: "café") == .match(0..<5))
    }

    /// PCRE2 10.42's JIT misses non-ASCII characters with a bare \W, \S or \D (without UCP,
    /// with MATCH_INVALID_UTF); `Regex` compiles them as one-escape classes instead.
    @Test func negatedEscapesMatchCharactersBeyondASCII() throws {
        #expect(session.firstMatch(of: try Regex(#"a\Wb"#), in: "a→b") == .match(0..<5))
        #expect(session.firstMatch(of: try Regex(#"a\S+b"#), in: "aéb") == .match(0..<4))
        #expect(session.firstMatch(of: try Regex(#"x\D{2}y"#, options: .caseless), in: "XéÜY") == .match(0..<6))
        #expect(session.firstMatch(of: try Regex(#"a[\W]b"#), in: "a→b") == .match(0..<5))
        // Escapes that only look alike keep their meaning.
        #expect(session.firstMatch(of: try Regex(#"\Q\W\E"#), in: #"x\W"#) == .match(1..<3))
        #expect(session.firstMatch(of: try Regex(#"a\\W"#), in: #"a\W"#) == .match(0..<3))
        #expect(session.firstMatch(of: try Regex(#"[]\W]"#), in: "]") == .match(0..<1))
        #expect(session.firstMatch(of: try Regex(#"a\Wb"#), in: "a b") == .match(0..<3))
        #expect(session.firstMatch(of: try Regex(#"a\Wb"#), in: "acb") == .noMatch)
    }

    @Test func invalidUTF8IsMatchedAround() throws {
        let regex = try Regex("oo")
        let bytes: [UInt8] = [0x66, 0xFF, 0x6F, 0x6F, 0xC3]
        let result = bytes.withUnsafeBufferPointer { session.firstMatch(of: regex, in: $0) }
        #expect(result == .match(2..<4))
    }

    @Test func catastrophicBacktrackingStopsAtTheMatchLimit() throws {
        let regex = try Regex("(a+)+$")
        let subject = String(repeating: "a", count: 5_000) + "b"
        let limited = MatchSession(limits: MatchLimits(matchLimit: 10_000))
        #expect(limited.firstMatch(of: regex, in: subject) == .failed(.matchLimit))
    }

    @Test func longSubjectsOutgrowingTheJITStackStillGetAnAnswer() throws {
        // `(?:a|b)*c` needs stack per repetition: 32 KiB runs out at about 10,000 bytes.
        let regex = try Regex("(?:a|b)*c")
        let subject = String(repeating: "ab", count: 100_000) + "c"
        #expect(session.firstMatch(of: regex, in: subject) == .match(0..<200_001))
        let huge = String(repeating: "ab", count: 1_000_000) + "c"
        switch session.firstMatch(of: regex, in: huge) {
        case .match(let range): #expect(range == 0..<2_000_001)
        case .failed(.resourceLimit): break  // bounded: reported, not crashed
        default: Issue.record("unexpected result on a 2 MB subject")
        }
    }

    @Test func allMatchesCountsNonOverlappingMatchesAndEndsOnEmptyMatches() throws {
        let words = session.allMatches(of: try Regex("\\bfree\\b", options: .caseless), in: Array("Free, free, FREE!".utf8))
        #expect(words.matches.count == 3)
        let empty = session.allMatches(of: try Regex("x*"), in: Array("aéb".utf8))
        #expect(empty.matches.map(\.lowerBound) == [0, 1, 3, 4])
        #expect(empty.failure == nil)
    }

    @Test func emptyPatternDetection() throws {
        #expect(try Regex("a*").matchesEmptyString(in: session))
        #expect(try !Regex("a+").matchesEmptyString(in: session))
    }
}

extension Array where Element == UInt8 {
    func withUnsafeBufferPointer<R>(_ body: (UnsafeBufferPointer<UInt8>) -> R) -> R {
        withUnsafeBytes { body($0.bindMemory(to: UInt8.self)) }
    }
}

extension MatchSession {
    func allMatches(of regex: Regex, in bytes: [UInt8]) -> (matches: [Range<Int>], failure: MatchFailure?) {
        bytes.withUnsafeBufferPointer { allMatches(of: regex, in: $0) }
    }
}
