import PCRE2
@testable import ModerateCore
import Testing

@Suite struct PreparedCommentTests {
    let session = MatchSession()

    /// `signal: styled_words` counts styled words only amid plain ones.
    @Test(arguments: [
        ("Main di 𝐁𝐄𝐓𝐀𝟖𝟖 pasti 𝓖𝓐𝓒𝓞𝓡 hari ini", 2),
        ("ᴄʜᴇᴄᴋ ᴏᴜᴛ my page", 2),
        ("𝓕𝓪𝓷𝓬𝔂 𝓷𝓪𝓶𝓮", 0),
        ("Фильм очень трогательный", 0),
        ("I loved the ending, the ferry scene was perfect", 0),
    ])
    func styledWordsCountsStyledWordsAmidPlainOnes(body: String, expected: Int) {
        #expect(PreparedComment(comment(body)).value(of: .styledWords, session: session) == expected)
    }

    /// `signal: styled_codes` counts styled words of letters and digits, plain words or not.
    @Test(arguments: [
        ("Main di 𝐁𝐄𝐓𝐀𝟖𝟖 pasti 𝓖𝓐𝓒𝓞𝓡", 1),
        ("𝐒𝐆𝐈𝟖𝟖", 1),
        ("play ВЕТА88 now", 1),
        ("main di beta88 hari ini", 0),
        ("this is the 𝓫𝓮𝓼𝓽 thing", 0),
        ("listed as ① and ②", 0),
    ])
    func styledCodesCountsStyledWordsOfLettersAndDigits(body: String, expected: Int) {
        #expect(PreparedComment(comment(body)).value(of: .styledCodes, session: session) == expected)
    }

    @Test func bareDomainsCountAsLinks() {
        #expect(PreparedComment(comment("watch it free on movie2k.com")).value(of: .links, session: session) == 1)
        #expect(PreparedComment(comment("I use node.js, e.g. in file.txt")).value(of: .links, session: session) == 0)
    }

    /// Links are found in the text normalised without leetspeak folding; the rules' view is
    /// reused for it only when the two are the same, so the order the views are asked for in
    /// changes nothing.
    @Test(arguments: [
        "get rich at site4u.com c@sino",
        "visit example.com today, fr33 spins",
        "plain words and winb1g.net here",
        "no links here at all, v1agra",
        "see https://ex4mple.org/p4ge for more",
    ])
    func linksDoNotDependOnWhetherTheRulesViewCameFirst(body: String) {
        let linksFirst = PreparedComment(comment(body))
        let fromLinksFirst = linksFirst.links(session: session).body
        let viewFirst = PreparedComment(comment(body))
        _ = viewFirst.normalized(.body)
        let fromViewFirst = viewFirst.links(session: session).body
        #expect(fromViewFirst.map(\.host) == fromLinksFirst.map(\.host))
        #expect(fromViewFirst.map(\.url) == fromLinksFirst.map(\.url))
    }

    @Test func theViewSaysWhetherItFoldedLeetspeak() {
        #expect(TextNormalizer.normalize("c@sino b0nus").foldedLeetspeak)
        #expect(!TextNormalizer.normalize("casino bonus 2024 mp3 $50").foldedLeetspeak)
        #expect(!TextNormalizer.normalize("c@sino b0nus", foldLeetspeak: false).foldedLeetspeak)
    }
}
