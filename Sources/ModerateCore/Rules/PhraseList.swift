import Foundation
import PCRE2
import Yams

/// A plain-text list of phrases, one per line, `#` starting a comment, made into one pattern.
enum PhraseList {
    public static func phrases(in text: String) -> [String] {
        text.split(whereSeparator: \.isNewline).compactMap { line in
            let content = line.hasPrefix("#") ? "" : line.split(separator: " #", maxSplits: 1).first.map(String.init) ?? ""
            let phrase = content.trimmingCharacters(in: .whitespaces)
            return phrase.isEmpty ? nil : phrase
        }
    }

    /// One pattern for all the phrases, each matched literally; runs of spaces inside a phrase
    /// match any run of white space. The phrases are merged into a prefix tree
    /// (`cheap(?:\\s+pills|er)?`): PCRE2 tries a flat alternation one phrase after another,
    /// so a 10,000-phrase list would cost 10,000 attempts at every position; the tree costs
    /// about the length of the longest phrase. The longest phrase that matches is reported.
    public static func pattern(for phrases: [String], wholeWords: Bool) -> String {
        let tree = PhraseTree()
        for phrase in phrases { tree.insert(tokens(of: phrase)) }
        let alternation = "(?:" + tree.pattern() + ")"
        // Lookarounds rather than \b, so that phrases starting or ending in punctuation work too.
        return wholeWords ? "(?<!\\w)" + alternation + "(?!\\w)" : alternation
    }

    /// About how much phrase text goes into one compiled part. PCRE2 (as Debian builds it)
    /// caps a compiled pattern at 64 K code units, about two per character of a phrase, so a
    /// part of this size nearly always compiles at the first try.
    static let partTextBytes = 16 << 10

    /// The phrases compiled; a list too large for one PCRE2 pattern is split into parts.
    ///
    /// The sorted phrases are cut into runs of about `partTextBytes` of text (sorting keeps
    /// shared prefixes together), and only a run that still does not compile is halved. Trying
    /// the whole list first and halving until parts fit, as this did before, built and
    /// compiled the pattern of every phrase once per halving (log n times) and held the prefix
    /// tree of the whole list at once: a 4 MB list took 30 s and 555 MB to load.
    public static func regex(for phrases: [String], wholeWords: Bool, options: RegexOptions) throws(RegexCompileError) -> Regex {
        var patterns: [String] = []
        func add(_ part: ArraySlice<String>) throws(RegexCompileError) {
            let candidate = pattern(for: Array(part), wholeWords: wholeWords)
            do {
                _ = try Regex(candidate, options: options)
                patterns.append(candidate)
            } catch where error.code == Regex.tooLargeErrorCode && part.count > 1 {
                let middle = part.startIndex + part.count / 2
                try add(part[..<middle])
                try add(part[middle...])
            }
        }
        let sorted = Set(phrases).sorted()
        var start = 0, textBytes = 0
        for (index, phrase) in sorted.enumerated() {
            textBytes += phrase.utf8.count + 1
            if textBytes >= partTextBytes {
                try add(sorted[start...index])
                start = index + 1
                textBytes = 0
            }
        }
        if start < sorted.count || sorted.isEmpty { try add(sorted[start...]) }
        return patterns.count == 1 ? try Regex(patterns[0], options: options) : try Regex(anyOf: patterns, options: options)
    }

    /// A phrase as pattern pieces: each character escaped, each run of white space `\s+`.
    static func tokens(of phrase: String) -> [String] {
        phrase.split(whereSeparator: \.isWhitespace).enumerated().flatMap { index, word in
            (index > 0 ? ["\\s+"] : []) + word.unicodeScalars.map { escape(String($0)) }
        }
    }

    /// For the `domains` field (one host per line): a line that is one of the domains or a
    /// subdomain of one (`bit.ly` matches `bit.ly` and `m.bit.ly`, not `notbit.ly`).
    public static func domainPattern(for domains: [String]) -> String {
        let alternatives = Set(domains.map { $0.lowercased() }).sorted().map(escape)
        return "(?m)(?:^|\\.)(?:" + alternatives.joined(separator: "|") + ")$"
    }

    static func escape(_ text: String) -> String {
        var out = ""
        for character in text.unicodeScalars {
            if "\\^$.|?*+()[]{}/#-".unicodeScalars.contains(character) { out.append("\\") }
            out.unicodeScalars.append(character)
        }
        return out
    }
}

/// A prefix tree of phrase tokens, written out as a regular expression.
final class PhraseTree {
    private var children: [String: PhraseTree] = [:]
    private var endsPhrase = false

    func insert(_ tokens: [String]) {
        var node = self
        for token in tokens {
            if let next = node.children[token] {
                node = next
            } else {
                let next = PhraseTree()
                node.children[token] = next
                node = next
            }
        }
        node.endsPhrase = true
    }

    /// The alternatives below this node; greedy, so longer phrases are tried first.
    func pattern() -> String {
        let branches = children.keys.sorted().map { $0 + children[$0]!.suffixPattern() }
        return branches.joined(separator: "|")
    }

    private func suffixPattern() -> String {
        guard !children.isEmpty else { return "" }
        let alternatives = pattern()
        if endsPhrase { return "(?:" + alternatives + ")?" }
        return children.count == 1 ? alternatives : "(?:" + alternatives + ")"
    }
}
