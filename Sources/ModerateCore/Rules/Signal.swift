/// Numbers about a comment that only its links, its letters or its batch can tell.
public enum Signal: String, CaseIterable, Sendable {
    /// Links in the body (links to allowed domains do not count).
    case links
    /// Words of the body written in styled letters (mathematical, enclosed, fullwidth, small
    /// capitals, another script's lookalikes in a Latin word) amid plainly written words;
    /// 0 when the body has no plain word (a comment wholly in fancy letters is a style, not a
    /// disguise). See `NormalizedText.styledWordCount`.
    case styledWords = "styled_words"
    /// Words of the body in styled letters that mix letters and digits (`𝐁𝐄𝐓𝐀𝟖𝟖`, `ВЕТА88`),
    /// the brand codes of slot sites in disguise; counted with or without plain words.
    case styledCodes = "styled_codes"
    /// Comments in this run with the same normalised body, this one included.
    case sameBody = "same_body"
    /// Comments in this run by the same author name, e-mail or IP within the burst window,
    /// this one included (the largest of the three counts).
    case authorBurst = "author_burst"
}

/// The batch's view of one comment, worked out in input order before the comment is decided.
public struct BatchSignals: Sendable, Equatable {
    public var sameBody = 1
    public var authorBurst = 1
    /// The author has comments in the approve queue from earlier runs.
    public var knownAuthor = false

    public init(sameBody: Int = 1, authorBurst: Int = 1, knownAuthor: Bool = false) {
        self.sameBody = sameBody
        self.authorBurst = authorBurst
        self.knownAuthor = knownAuthor
    }
}
