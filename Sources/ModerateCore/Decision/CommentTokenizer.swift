import PCRE2

/// Cuts a prepared comment into the tokens the learned stage counts (README, "Tokens").
/// Everything comes from the views the rules see, so a disguise folds the same way for both:
///
/// - words: runs of letters and digits of the normalised body (`c@sino` is `casino` there),
///   and each symbol (emoji, `✌`) as a token of its own;
/// - bigrams: `word+word` for neighbouring words;
/// - chars: `~abc`, the letter trigrams of a word too long to be one (`bestslotsitegacor`),
///   of text in a script written without spaces (Chinese, Japanese, Thai), and of letters
///   spaced out one by one (`b u y n o w`, joined first);
/// - domains: `domain:example.com` for each link (links the link policy allows are left out),
///   `flag:link`, and `flag:links3` for three or more;
/// - structure: `flag:caps` (mostly capitals), `flag:stylised` (mathematical or enclosed
///   letters in the original), `flag:wordsN` (the word count's power of two).
///
/// The standard kinds leave domains out: the links stage already weighs every link, and a
/// model trained on comments whose ham rarely links (as the shipped one is) would count any
/// link a second time, turning an honest "see this page" that the rules hold into a reject
/// (README, "Tokens", has the figures).
///
/// Words never contain `:`, `+` or `~`, so the kinds cannot collide. A comment gives at most
/// `maximumTokens` tokens: the first ones, so a megabyte comment costs what a long one does.
public enum CommentTokenizer {
    public static let maximumTokens = 2_000
    /// Longer words are cut into trigrams instead (no real word of any language we read is
    /// this long; run-together spam is).
    static let longWord = 20

    public static func tokens(of comment: PreparedComment, kinds: TokenKinds, session: MatchSession) -> Set<String> {
        var tokens = Set<String>(minimumCapacity: 64)
        func add(_ token: String) -> Bool {
            if tokens.count >= maximumTokens { return false }
            tokens.insert(token)
            return true
        }
        let text = comment.normalized(.body)?.text ?? ""
        let (bodyLinks, authorLinks) = comment.links(session: session)
        // A link's own text is left to the domain and link tokens: cut into words it would be
        // `https`, `www`, `com`, which say "has a link" a dozen times over (and the links stage
        // already weighs that).
        let linkHosts = bodyLinks.isEmpty && authorLinks.isEmpty ? [] : Set((bodyLinks + authorLinks).map(\.host))
        let words = split(withoutLinks(text, hosts: linkHosts))
        // Each word made a String once, for its own token and its bigrams: a copy of its bytes.
        let wordTexts = kinds.contains(.words) || kinds.contains(.bigrams) ? words.words.map { String($0.text) } : []
        if kinds.contains(.words) {
            for (word, text) in zip(words.words, wordTexts) where word.scalarCount <= longWord || !kinds.contains(.chars) {
                if !add(text) { break }
            }
            for symbol in words.symbols { if !add(String(Character(symbol))) { break } }
        }
        if kinds.contains(.bigrams) {
            for (first, second) in zip(wordTexts, wordTexts.dropFirst()) {
                var bigram = first
                bigram.reserveCapacity(first.utf8.count + 1 + second.utf8.count)
                bigram.append("+")
                bigram.append(second)
                if !add(bigram) { break }
            }
        }
        if kinds.contains(.chars) {
            for run in gramSources(words.words) {
                guard run.count >= 3 else { continue }
                for start in 0...(run.count - 3) {
                    if !add("~" + String(String.UnicodeScalarView(run[start..<(start + 3)]))) { break }
                }
            }
        }
        if kinds.contains(.domains) {
            let (body, authorURL) = (bodyLinks, authorLinks)
            if kinds.contains(.domains) {
                for link in body + authorURL { _ = add("domain:" + link.host) }
                if !body.isEmpty { _ = add("flag:link") }
                if body.count >= 3 { _ = add("flag:links3") }
            }
        }
        if kinds.contains(.structure) {
            let original = comment.comment[.body] ?? ""
            var letters = 0, capitals = 0, stylised = false
            for scalar in original.unicodeScalars {
                if scalar.isASCII {
                    // Most text: no property look-ups.
                    let value = scalar.value
                    if value >= 0x61 && value <= 0x7A { letters += 1 } else if value >= 0x41 && value <= 0x5A {
                        letters += 1
                        capitals += 1
                    }
                    continue
                }
                if isStylised(scalar) { stylised = true }
                if scalar.properties.isAlphabetic {
                    letters += 1
                    if scalar.properties.isUppercase { capitals += 1 }
                }
            }
            if letters >= 8 && capitals * 10 >= letters * 7 { _ = add("flag:caps") }
            if stylised { _ = add("flag:stylised") }
            var bucket = 0
            while (1 << (bucket + 1)) <= words.words.count { bucket += 1 }
            _ = add(words.words.isEmpty ? "flag:words0" : "flag:words\(1 << bucket)")
        }
        return tokens
    }

    /// The text without the space-separated pieces that are links: with `://`, starting
    /// `www.`, or holding one of the links' hosts.
    static func withoutLinks(_ text: String, hosts: Set<String>) -> String {
        guard !hosts.isEmpty || contains(text.utf8, "://") || contains(text.utf8, "www.") else { return text }
        return text.split(separator: " ").filter { piece in
            if contains(piece.utf8, "://") || piece.utf8.starts(with: "www.".utf8) { return false }
            guard piece.utf8.contains(UInt8(ascii: ".")) else { return true }
            return !hosts.contains { contains(piece.utf8, $0) }
        }.joined(separator: " ")
    }

    /// Whether the bytes hold the needle's bytes. Foundation's `contains` goes through
    /// `CFStringFind`, which cost more than the rest of cutting a comment into words, and the
    /// standard library's `Collection.contains(_:)` of a collection cost more again (a ratio
    /// of 1.56 against 1.18 in scripts/bench-learned, 2026-12-04).
    static func contains(_ haystack: some Collection<UInt8>, _ needle: String) -> Bool {
        let needleBytes = Array(needle.utf8)
        guard let first = needleBytes.first else { return true }
        var start = haystack.startIndex
        while let found = haystack[start...].firstIndex(of: first) {
            if haystack[found...].starts(with: needleBytes) { return true }
            start = haystack.index(after: found)
        }
        return false
    }

    /// A word of a normalised text: its text and how many scalars it has.
    struct Word {
        var text: Substring
        var scalarCount: Int
        /// Holds a letter of a script written without spaces.
        var hasUnspacedScript: Bool
    }

    /// Words (runs of letters and digits) and symbols of a normalised text. A word is cut by
    /// scalar indices, not `Character` ones: a letter followed by a combining mark that is
    /// no letter ends a word mid-character, and String's own subscript would round that.
    static func split(_ text: String) -> (words: [Word], symbols: [Unicode.Scalar]) {
        var words: [Word] = []
        var symbols: [Unicode.Scalar] = []
        let scalars = text.unicodeScalars
        var wordStart: String.Index?
        var count = 0, unspaced = false
        var index = scalars.startIndex
        while index < scalars.endIndex {
            let scalar = scalars[index]
            if scalar.isLetterOrNumber {
                if wordStart == nil { wordStart = index; count = 0; unspaced = false }
                count += 1
                if !scalar.isASCII && isUnspacedScript(scalar) { unspaced = true }
            } else {
                if let start = wordStart {
                    words.append(Word(text: Substring(scalars[start..<index]), scalarCount: count, hasUnspacedScript: unspaced))
                    wordStart = nil
                }
                if scalar.value >= 0x80, scalar.properties.generalCategory == .otherSymbol { symbols.append(scalar) }
            }
            scalars.formIndex(after: &index)
        }
        if let start = wordStart {
            words.append(Word(text: Substring(scalars[start...]), scalarCount: count, hasUnspacedScript: unspaced))
        }
        return (words, symbols)
    }

    /// The texts to cut into trigrams: long words, words in scripts without spaces, and runs
    /// of three or more one-letter words joined together.
    static func gramSources(_ words: [Word]) -> [ArraySlice<Unicode.Scalar>] {
        var sources: [ArraySlice<Unicode.Scalar>] = []
        var spacedOut: [Unicode.Scalar] = []
        var spacedLetters = 0
        func endSpacedOut() {
            if spacedLetters >= 3 { sources.append(spacedOut[...]) }
            spacedOut.removeAll()
            spacedLetters = 0
        }
        for word in words {
            if word.scalarCount == 1 {
                spacedOut.append(word.text.unicodeScalars.first!)
                spacedLetters += 1
                continue
            }
            endSpacedOut()
            if word.scalarCount > longWord || word.hasUnspacedScript { sources.append(Array(word.text.unicodeScalars)[...]) }
        }
        endSpacedOut()
        return sources
    }

    /// Han, kana, Thai, Lao, Khmer, Myanmar: scripts written without spaces between words.
    static func isUnspacedScript(_ scalar: Unicode.Scalar) -> Bool {
        switch scalar.value {
        case 0x0E00...0x0EFF, 0x1000...0x109F, 0x1780...0x17FF, 0x3040...0x30FF, 0x3400...0x4DBF, 0x4E00...0x9FFF,
             0xF900...0xFAFF, 0x20000...0x2FFFF:
            return true
        default:
            return false
        }
    }

    /// Letters dressed up: mathematical alphanumerics (`𝐒𝐆𝐈`), enclosed and squared letters
    /// (`Ⓢ`, `🅂`), fullwidth forms. People rarely type them; slot-site bots always do.
    static func isStylised(_ scalar: Unicode.Scalar) -> Bool {
        switch scalar.value {
        case 0x1D400...0x1D7FF, 0x2460...0x24FF, 0x1F100...0x1F1E5, 0xFF01...0xFF5E:
            return true
        default:
            return false
        }
    }
}
