@testable import moderate
import Testing

@Suite struct TerminalSafeTests {
    @Test func controlCharactersAreShownAsEscapes() {
        #expect("a\u{1B}]52;c;SGk=\u{07}b".terminalSafe == #"a\u{1B}]52;c;SGk=\u{7}b"#)
        #expect("one\ntwo\tthree\r".terminalSafe == #"one\ntwo\tthree\r"#)
        #expect("\u{0}\u{7F}\u{9B}31m".terminalSafe == #"\u{0}\u{7F}\u{9B}31m"#)
        #expect("abc\u{202E}fed\u{2066}x\u{2069}\u{2028}".terminalSafe == #"abc\u{202E}fed\u{2066}x\u{2069}\u{2028}"#)
    }

    @Test func everythingElseIsLeftAsItIs() {
        let text = #"Grüße, 日本語, emoji 👍🏽, a pattern '\bcheck\s+out\b' and "quotes" … ½"#
        #expect(text.terminalSafe == text)
        #expect("\u{200B}zero width\u{00A0}nbsp".terminalSafe == "\u{200B}zero width\u{00A0}nbsp")
    }

    @Test func longFieldsAreCutWithAnEllipsis() {
        #expect("abcdef".terminalSafe(maxCharacters: 3) == "abc…")
        #expect("abc".terminalSafe(maxCharacters: 3) == "abc")
        #expect("\u{1B}\u{1B}\u{1B}\u{1B}".terminalSafe(maxCharacters: 2) == #"\u{1B}\u{1B}…"#)
    }
}
