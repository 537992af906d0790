import PCRE2

/// A keyword that also matches inside ordinary words (the Scunthorpe problem).
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
    ]]

    public func warning(for rule: Rule, at index: Int, in context: LintContext) -> String? {
        guard let regex = rule.regex, !context.matchesEmptyString(regex),
              let words = Self.wordsMatchedInside(rule, regex, context) else { return nil }
        let fix = rule.list != nil ? "set whole_words: true" : "add \\b around the keyword"
        return "fires inside common words: " + words.map { "'\($0.word)' (\($0.match))" }.joined(separator: ", ") + "; \(fix)"
    }

    /// Common words in which the rule matches only part of the word (at most three listed).
    /// Only rules on prose fields are checked: in a URL or an email address, matching part
    /// of a word is usually the point.
    private static func wordsMatchedInside(_ rule: Rule, _ regex: Regex, _ context: LintContext) -> [(word: String, match: String)]? {
        guard rule.fields.contains(where: { $0.sourceField == .body || $0.sourceField == .author }) else { return nil }
        var found: [(word: String, match: String)] = []
        for word in context.commonWords {
            guard case .match(let range) = context.session.firstMatch(of: regex, in: word),
                  range.count < word.utf8.count else { continue }
            let match = String(decoding: Array(word.utf8)[range], as: UTF8.self)
            // One word per keyword found, so that each offending keyword shows.
            guard !found.contains(where: { $0.match.lowercased() == match.lowercased() }) else { continue }
            found.append((word, match))
            if found.count == 3 { break }
        }
        return found.isEmpty ? nil : found
    }
}
