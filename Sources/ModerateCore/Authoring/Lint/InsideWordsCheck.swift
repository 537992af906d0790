import PCRE2

/// A keyword that also matches inside ordinary words (the Scunthorpe problem), in any of the
/// languages of `CommonWords.all`, or that matches a word of markup (`subscript`, `blockquote`)
/// at all: a rule reading `subscri\w*` for "subscribe" also fires on a comment written in HTML.
struct InsideWordsCheck: LintCheck {
    public static let id = "inside-words"
    public static let summary = "a pattern on prose fields matches part of a common word"
    public static let triggering: [[String: String]] = [[
        "keywords.yaml": """
            stage: keywords
            rules:
              - id: keywords.ass
                description: An example for this check.
                pattern: 'ass'
                score: 1
            """,
    ], [
        "spam.yaml": """
            stage: spam
            rules:
              - id: spam.subscribe
                description: An example for this check.
                pattern: '\\bsubscri\\w*'
                score: 1
            """,
    ]]
    public static let nonTriggering: [[String: String]] = [[
        "keywords.yaml": """
            stage: keywords
            rules:
              - id: keywords.ass
                description: An example for this check.
                pattern: '\\bass\\b'
                score: 1
            """,
    ], [
        "spam.yaml": """
            stage: spam
            rules:
              - id: spam.subscribe
                description: An example for this check.
                pattern: '\\bsubscri(?:b|ption)\\w*'
                score: 1
            """,
    ]]

    public func warning(for rule: Rule, at index: Int, in context: LintContext) -> String? {
        guard let regex = rule.regex, !context.matchesEmptyString(regex),
              rule.fields.contains(where: { $0.sourceField == .body || $0.sourceField == .author }),
              !Self.matchesAnyWord(regex, context) else { return nil }
        var parts: [String] = []
        if let words = Self.wordsMatched(regex, in: context.commonWords, wholeToo: false, context) {
            let fix = rule.list != nil ? "set whole_words: true" : "add \\b around the keyword"
            parts.append("fires inside common words: " + words.map { "'\($0.word)' (\($0.match))" }.joined(separator: ", ") + "; \(fix)")
        }
        if let words = Self.wordsMatched(regex, in: context.markupWords, wholeToo: true, context) {
            parts.append("fires on words of markup that honest comments are full of: " + words.map { "'\($0.word)' (\($0.match))" }.joined(separator: ", ")
                         + "; end the keyword where its word ends (\\b, or a lookahead such as (?!t) for 'subscript')")
        }
        return parts.isEmpty ? nil : parts.joined(separator: "; ")
    }

    /// A pattern that matches plain words such as "hello" (`(\w+\s?)+`, `\w{3,}`)
    /// is no keyword: it matches inside and across every word, so listing words says nothing.
    private static func matchesAnyWord(_ regex: Regex, _ context: LintContext) -> Bool {
        ["hello", "world"].contains { probe in
            if case .match = context.session.firstMatch(of: regex, in: probe) { return true }
            return false
        }
    }

    /// Words in which the rule matches only part of the word (or, with `wholeToo`, any part
    /// of it, the whole word included), at most three listed. Only rules on prose fields are
    /// checked: in a URL or an email address, matching part of a word is usually the point.
    private static func wordsMatched(_ regex: Regex, in words: [String], wholeToo: Bool, _ context: LintContext) -> [(word: String, match: String)]? {
        var found: [(word: String, match: String)] = []
        for word in words {
            guard case .match(let range) = context.session.firstMatch(of: regex, in: word),
                  wholeToo || range.count < word.utf8.count else { continue }
            let match = String(decoding: Array(word.utf8)[range], as: UTF8.self)
            // One word per keyword found, so that each offending keyword shows.
            guard !found.contains(where: { $0.match.lowercased() == match.lowercased() }) else { continue }
            found.append((word, match))
            if found.count == 3 { break }
        }
        return found.isEmpty ? nil : found
    }
}
