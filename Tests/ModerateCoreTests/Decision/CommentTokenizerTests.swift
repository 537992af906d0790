@testable import ModerateCore
import PCRE2
import Testing

@Suite struct CommentTokenizerTests {
    private func tokens(_ body: String, kinds: TokenKinds = .standard, authorURL: String? = nil) -> Set<String> {
        var fields: [CommentField: String] = [.body: body]
        fields[.authorURL] = authorURL
        let prepared = PreparedComment(Comment(id: "t", fields: fields))
        return CommentTokenizer.tokens(of: prepared, kinds: kinds, session: MatchSession(limits: .standard))
    }

    @Test func disguisedWordsFoldToTheirPlainTokens() {
        let plain = tokens("best casino bonus", kinds: .words)
        #expect(plain == ["best", "casino", "bonus"])
        #expect(tokens("BEST c@sino b0nus", kinds: .words) == plain)
        #expect(tokens("𝐛𝐞𝐬𝐭 ｃａｓｉｎｏ bonus", kinds: .words) == plain)
    }

    @Test func bigramsJoinNeighbours() {
        #expect(tokens("win big now", kinds: .bigrams) == ["win+big", "big+now"])
    }

    @Test func spacedOutLettersAndRunTogetherWordsGiveTrigrams() {
        let spaced = tokens("b u y now", kinds: .chars)
        #expect(spaced == ["~buy"])
        let joined = tokens("visitbestslotsitegacornow", kinds: [.words, .chars])
        #expect(joined.contains("~slo") && joined.contains("~gac"))
        #expect(!joined.contains("visitbestslotsitegacornow"))
        // Ordinary words are not cut up.
        #expect(tokens("a lovely film", kinds: .chars).isEmpty)
        #expect(tokens("日本語です", kinds: .chars).contains("~日本語"))
    }

    /// A sign that is no letter (the Devanagari virama) ends a word in the middle of what a
    /// reader sees as one character; the pieces are the words, whole scalars each.
    @Test func wordsAreCutBetweenScalarsNotCharacters() {
        #expect(tokens("नमस्ते दुनिया", kinds: .words) == ["नमस", "ते", "दुनिया"])
        #expect(tokens("नमस्ते दुनिया", kinds: .bigrams) == ["नमस+ते", "ते+दुनिया"])
    }

    @Test func aLinkWithoutASchemeIsLeftOutOfTheWordsToo() {
        let found = tokens("cheap pills at pharma-deals.example.com today", kinds: .words)
        #expect(found == ["cheap", "pills", "at", "today"])
    }

    @Test func aLinksOwnTextGivesNoWords() {
        let found = tokens("read https://www.film-notes.example/reviews now", kinds: [.words, .domains])
        #expect(found == ["read", "now", "domain:film-notes.example", "flag:link"])
    }

    @Test func linksGiveDomainsAndStructureFlags() {
        let found = tokens("JOIN NOW AT WWW.LUCKY-SPIN.EXAMPLE.COM ✌✌", kinds: [.words, .domains, .structure])
        #expect(found.contains("domain:lucky-spin.example.com"))
        #expect(found.contains("flag:link"))
        #expect(found.contains("flag:caps"))
        #expect(found.contains("✌"))
        #expect(!found.contains("flag:stylised"))
        #expect(tokens("𝐒𝐆𝐈 now", kinds: .structure).contains("flag:stylised"))
        #expect(!tokens("see www.lucky-spin.example.com", kinds: .structure).contains("flag:link"))
        #expect(tokens("see", kinds: .domains, authorURL: "https://my-shop.example/").contains("domain:my-shop.example"))
    }

    @Test func aHugeCommentGivesBoundedTokens() {
        let body = (0..<10_000).map { "word\($0)" }.joined(separator: " ")
        #expect(tokens(body).count == CommentTokenizer.maximumTokens)
    }

    @Test func invalidTextFromAReaderIsJustText() {
        // Readers replace invalid UTF-8 with U+FFFD; the tokenizer sees an ordinary scalar.
        #expect(tokens("ok \u{FFFD}\u{FFFD} fine", kinds: .words).isSuperset(of: ["ok", "fine"]))
    }
}
