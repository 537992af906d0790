import Foundation
@testable import ModerateCore
import PCRE2
import Testing

@Suite struct TextNormalizerTests {
    @Test(arguments: [
        ("ｃｈｅａｐ ｖｉａｇｒａ．ｃｏｍ", "cheap viagra.com"),          // fullwidth forms
        ("v\u{200B}i\u{200C}a\u{2060}g\u{00AD}r\u{FEFF}a", "viagra"),  // zero-width and soft hyphens
        ("vі\u{0430}gra", "viagra"),                                   // Cyrillic і and а in a Latin word
        ("ϲasinο bonus", "casino bonus"),                               // Greek lookalikes
        ("V1AGRA and c@sino and fr33", "viagra and casino and fr33"),   // leetspeak between letters only
        ("vïágrà", "viagra"),                                          // accents
        ("&lt;a href=&quot;x&quot;&gt; &#118;&#x69;agra &amp; co", "<a href=\"x\"> viagra & co"),  // entities
        ("<b>Buy</b><i>now</i> <a href=\"http://spam.example/x\">click</a>", "buy now http://spam.example/x click"),
        ("  lots\t\tof \n\n space  ", "lots of space"),
        ("\u{202E}txet desrever\u{202C}", "txet desrever"),             // bidi controls
        ("Фильм очень трогательный", "фильм очень трогательный"),       // real Cyrillic stays Cyrillic
        ("Released in 2024 on mp3, $50", "released in 2024 on mp3, $50"),
        ("ᴄʜᴇᴄᴋ ᴏᴜᴛ my page", "check out my page"),                     // small capitals
        ("ВЕТА88 gacor", "beta88 gacor"),                               // Cyrillic lookalikes with digits
        ("Η ταινία ήταν υπέροχη", "η ταινία ήταν υπέροχη"),              // real Greek stays Greek
        ("on YouTube:الإعلانات", "on youtube:الإعلانات"),              // punctuation parts scripts
        ("buy V I A G R A now", "buy viagra now"),                      // spaced-out letters
        ("c-h-e-c-k o-u-t A L E X I S 1 7", "check out alexis17"),      // separated letters
        ("V.I.A.G.R.A e.g. 1-2-3 a b c", "viagra e.g. 1-2-3 a b c"),    // short or letterless rows stay
        ("plan a b c d", "plan abcd"),
    ])
    func seesThroughObfuscation(original: String, expected: String) {
        #expect(TextNormalizer.normalize(original).text == expected)
    }

    @Test func everyNormalisedByteMapsBackToItsOriginal() {
        let original = "Buy ｖ\u{200B}іagra &amp; more"
        let view = TextNormalizer.normalize(original)
        let normalizedBytes = Array(view.text.utf8)
        let start = view.text.range(of: "viagra")!
        let lower = view.text.utf8.distance(from: view.text.startIndex, to: start.lowerBound)
        let range = view.originalRange(of: lower..<lower + 6)
        let originalBytes = Array(original.utf8)
        #expect(String(decoding: originalBytes[range], as: UTF8.self) == "ｖ\u{200B}іagra")
        #expect(normalizedBytes.count < originalBytes.count)
        let amp = view.text.utf8.firstIndex(of: UInt8(ascii: "&"))!
        let ampOffset = view.text.utf8.distance(from: view.text.utf8.startIndex, to: amp)
        #expect(String(decoding: originalBytes[view.originalRange(of: ampOffset..<ampOffset + 1)], as: UTF8.self) == "&amp;")
    }

    @Test func invalidBytesAndHugeInputDoNotBreakIt() {
        let broken = String(decoding: [0x76, 0xFF, 0x69, 0xC3], as: UTF8.self)
        #expect(TextNormalizer.normalize(broken).text == "v\u{FFFD}i\u{FFFD}")
        let unclosed = String(repeating: "<a", count: 10_000)
        #expect(TextNormalizer.normalize(unclosed).text.count == 20_000)
    }

    /// Texts whose map back has every kind of run: plain text, tags with links, entities,
    /// merged white space, dropped invisible characters, accents, ligatures, lookalikes,
    /// scripts kept as they are, and characters that expand (U+FDFA is 18 after folding).
    static let mapSamples = [
        "Buy ｖ\u{200B}іagra &amp; more",
        "<p>The <b>lead</b>  actor\t\n<a href=\"https://x.example/a?b=1&amp;c\">here</a> &#x41;&#66; vïágrà ﬁne</p>",
        "Фильм очень трогательный, この映画が大好きです。 İstanbul ﷺ a  b   c\u{00AD}d",
        String(repeating: "aé  <i>", count: 300) + String(repeating: "word ", count: 2_000),
        "  lead and trail  ",
        "buy V I A G R A now, c-h-e-c-k ᴄʜᴇᴄᴋ 𝐁𝐄𝐓𝐀𝟖𝟖 ВЕТА88 pаypal",
        "go " + String(repeating: "x ", count: 100) + "then V I A G R A " + String(repeating: "y ", count: 64) + "end",
        "",
    ]

    /// Each byte of the view maps back to exactly the range its scalar came from, however the
    /// scanner hands its words on (every scalar at once, or a few at a time).
    @Test(arguments: mapSamples)
    func runsMapEveryByteToItsScalarsRange(original: String) {
        var expected: [Range<Int>] = []
        for character in TextNormalizer.mappedScalars(original) {
            for _ in 0..<UTF8.width(character.scalar) { expected.append(Int(character.start)..<Int(character.end)) }
        }
        for flushCount in [1, 7, 4_096, Int.max] {
            let view = TextNormalizer.normalize(original, foldLeetspeak: true, flushingAt: flushCount)
            #expect(view.text == TextNormalizer.normalize(original).text)
            #expect(view.text.utf8.count == expected.count)
            let mapped = (0..<view.text.utf8.count).map { view.source(ofByte: $0) }
            #expect(mapped == expected)
        }
    }

    /// Every letter of a disguised word maps back to the original characters it was written in.
    @Test(arguments: [
        ("buy V I A G R A now", "viagra", "V I A G R A"),
        ("see c-h-e-c-k it", "check", "c-h-e-c-k"),
        ("ᴄʜᴇᴄᴋ ᴏᴜᴛ", "check", "ᴄʜᴇᴄᴋ"),
        ("play ВЕТА88 now", "beta88", "ВЕТА88"),
        ("main di 𝐁𝐄𝐓𝐀𝟖𝟖 ya", "beta88", "𝐁𝐄𝐓𝐀𝟖𝟖"),
        ("cheap vіagra", "viagra", "vіagra"),
    ])
    func disguisedWordsMapBackToTheirOriginalBytes(original: String, word: String, written: String) throws {
        let view = TextNormalizer.normalize(original)
        let found = try #require(view.text.range(of: word))
        let lower = view.text.utf8.distance(from: view.text.startIndex, to: found.lowerBound)
        let range = view.originalRange(of: lower..<lower + word.utf8.count)
        #expect(String(decoding: Array(original.utf8)[range], as: UTF8.self) == written)
    }

    /// A row of single letters longer than any word is left alone, however it is handed on.
    @Test func rowsTooLongForAWordAreNotJoined() {
        let row = String(repeating: "x ", count: 100)
        #expect(TextNormalizer.normalize(row + "end").text == row + "end")
        for flushCount in [1, 7, 150] {
            #expect(TextNormalizer.normalize(row + "end", foldLeetspeak: true, flushingAt: flushCount).text == row + "end")
        }
    }

    /// The stylised-text counts: styled words (mathematical, enclosed, fullwidth, small
    /// capitals, lookalikes in a Latin word), plainly written words, and styled words of
    /// letters and digits.
    @Test(arguments: [
        ("main di 𝐁𝐄𝐓𝐀𝟖𝟖 pasti 𝓖𝓐𝓒𝓞𝓡", 2, 3, 1),
        ("ᴄʜᴇᴄᴋ ᴏᴜᴛ my page", 2, 2, 0),
        ("cheap vіagra here", 1, 2, 0),
        ("play ВЕТА88 now", 1, 2, 1),
        ("ⓦⓘⓝ big today", 1, 2, 0),
        ("ｆｕｌｌ width", 1, 1, 0),
        ("Фильм очень трогательный and nice", 0, 2, 0),
        ("café naïve Łódź straße ı 50 m² ①", 0, 4, 0),
        ("Acme™ rocks", 0, 2, 0),
        ("an ordinary comment", 0, 3, 0),
    ])
    func countsStyledAndPlainWords(original: String, styled: Int, plain: Int, codes: Int) {
        let view = TextNormalizer.normalize(original)
        #expect(view.styledWordCount == styled)
        #expect(view.plainWordCount == plain)
        #expect(view.styledCodeCount == codes)
    }

    /// Ordinary text costs about its own bytes: the map is a few runs, not 8 bytes a byte.
    @Test func plainTextCostsItsBytesNotWords() {
        let text = String(repeating: "I watched this last night, the ferry scene was perfect. ", count: 20_000)
        let view = TextNormalizer.normalize(text)
        #expect(view.runs.count == 1)
        #expect(view.memoryBytes < text.utf8.count + 64)
    }

    /// What a view costs per original byte, on the mix of `scripts/generate-big-comments.py`
    /// and on the characters that expand most. README ("Memory") quotes these; before the map
    /// was kept as runs it was the text plus 8 bytes per byte of text.
    @Test func viewCostPerOriginalByte() {
        let mixed = [
            "I watched this last night, the ferry scene was perfect. ", "Que filme lindo, the soundtrack is on repeat here. ",
            "Фильм очень трогательный, я плакал дважды. ", "この映画が大好きです。字幕が読みにくかった。 ",
            "<p>The lead actor <b>deserved</b> an award &amp; more.</p> ",
            "See <a href=\"https://en.wikipedia.org/wiki/Film\">the article</a>. ",
            "buy cheap v1agra without prescription at www.example.org/12345 ",
            "Caf&eacute; d&#233;j&#x E0; vu, ｆｕｌｌｗｉｄｔｈ text\u{200B} here. \n",
        ]
        let expanding = ["\u{FDFA}", "&#xFDFA;", "<b>", "a  ", "\u{0130}", "\u{FB01}", "aé"]
        for (name, pieces, limit) in [("mixed", mixed, 3.0), ("expanding", expanding, 12.0)] {
            var generator = SystemRandomNumberGenerator()
            var text = ""
            while text.utf8.count < 1 << 20 { text += pieces.randomElement(using: &generator)! }
            let view = TextNormalizer.normalize(text)
            let perByte = Double(view.memoryBytes) / Double(text.utf8.count)
            let before = Double(view.text.utf8.count * 9) / Double(text.utf8.count)
            print("view cost per original byte, \(name): \(perByte) (\(view.runs.count) runs; a start and an end per byte: \(before))")
            #expect(perByte < limit)
        }
    }
}
