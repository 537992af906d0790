import PCRE2

/// A link found in a comment.
public struct Link: Sendable, Equatable {
    /// The link as written, with obfuscated dots (`example dot com`, `example(.)com`) made plain.
    public var url: String
    /// Its host, lower case, without `www.`.
    public var host: String
    /// `ip-host`, `punycode`, `mixed-script`: things honest links rarely have.
    public var flags: [String]
}

/// Finds links in text: `http(s)://` URLs, `www.` forms, bare domains whose ending is on the
/// Public Suffix List (`movie2k.com`, `hh.nl`, `megasite.blogspot.co.uk/`), obfuscated dots
/// (`example dot com`, `example(.)com`, `example[dot]com`, `exampleDOTcom`, `example . com`),
/// and (through the normaliser) HTML anchors' targets and fullwidth or ideographic dots.
/// Markdown links are URLs in parentheses and are found as such. E-mail addresses are not links.
///
/// A bare domain has to look like one, since ordinary text is full of dotted words:
/// - its ending is a public suffix (`node.js`, `file.txt`, `3.5`, `Mr.Smith` are not), and
///   the name under it has two characters or more (`e.g.` is not);
/// - an ending that is also an everyday word or a file extension (`this.is`, `setup.py`,
///   `go.to`, `notes.md`) counts only with a path after it (`paste.sh/abc`);
/// - a capitalised ending after a dot is a sentence without its space (`the end.Then`,
///   `loved it.Live`), unless a path follows; an ending in capitals with a letter or two of
///   junk after it (`movie2k.COMl`) is the domain without the junk.
public enum LinkExtractor {
    /// Endings on the Public Suffix List that are more often the end of a word or a file name
    /// than of a domain in a comment: bare names ending in them need a path to count.
    static let ambiguousEndings: Set<String> = [
        // Everyday English words (CommonWords) that are also top-level domains.
        "actor", "art", "as", "at", "be", "blog", "book", "business", "by", "camera", "car", "case", "channel",
        "city", "community", "company", "day", "do", "education", "film", "game", "health", "house", "how",
        "in", "is", "it", "law", "life", "like", "love", "man", "me", "money", "movie", "music", "my", "name",
        "new", "no", "now", "office", "one", "party", "photo", "photos", "place", "post", "read", "review",
        "room", "school", "search", "shell", "so", "social", "song", "study", "team", "theater", "theatre",
        "to", "us", "video", "work", "world", "you",
        // Chat words that are also top-level domains (`so funny.lol`); `top`, `win`, `fun` and
        // `best` are not here: spam sites use them.
        "cool", "fail", "hot", "lol", "wow", "wtf",
        // File extensions that are also top-level domains.
        "ai", "am", "java", "md", "mk", "mov", "pl", "pm", "ps", "py", "rs", "sh", "zip",
    ]

    static let dot = #"(?:\.|\s*[(\[{]\s*(?:\.|dot)\s*[)\]}]\s*|\s+dot\s+|\s+\.\s+)"#
    static let label = #"[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?"#
    static let path = #"(?:[/?#][^\s<>"'{}|\\^`\[\]]*)?"#

    static let pattern: Regex = {
        let scheme = #"https?://[^\s<>"'{}|\\^`\[\]]+"#
        // After `www.`, any ending: the prefix alone says it is a web address.
        let www = #"(?<![\w@.-])www"# + dot + label + "(?:" + dot + label + ")*" + path
        // Any last label here; whether it is a public suffix is checked on the match.
        let bare = #"(?<![\w@.-])(?:"# + label + dot + #")+(?:xn--[a-z0-9-]{1,59}|[a-z]{2,63})(?![\w-])"# + path
        // Built from constants: a failure here is a programming error, caught by every test run.
        return try! Regex(scheme + "|" + www + "|" + bare, options: [.caseless])
    }()

    /// `moviesDOTcom`: the dot written as a word run into the name; whether `DOT` was in
    /// capitals (and so meant as a dot) is checked in the original.
    static let runTogetherDot: Regex = try! Regex(#"(?<![\w@.-])[a-z0-9][a-z0-9-]*dot[a-z]{2,24}(?![\w-])"#, options: [.caseless])

    static let obfuscatedDot: Regex = try! Regex(dot, options: [.caseless])

    /// Links in a normalised text (normalise without leetspeak folding: `site4u.com` must stay).
    public static func links(in text: NormalizedText, original: String, session: MatchSession) -> [Link] {
        var normalized = text.text
        var originalText = original
        return normalized.withUTF8 { bytes in
            originalText.withUTF8 { originalBytes in
                func originalText(of range: Range<Int>) -> String {
                    let source = text.originalRange(of: range).clamped(to: 0..<originalBytes.count)
                    return String(decoding: UnsafeBufferPointer(rebasing: originalBytes[source]), as: UTF8.self)
                }
                var links: [Link] = []
                for range in session.allMatches(of: pattern, in: bytes, maximum: 1_000).matches {
                    let matched = String(decoding: UnsafeBufferPointer(rebasing: bytes[range]), as: UTF8.self)
                    var url = plainDots(matched, session: session)
                    var stripped = 0
                    while let last = url.last, ".,;:!?)'\"".contains(last) { url.removeLast(); stripped += 1 }
                    if !url.hasPrefix("http") && !url.hasPrefix("www.") {
                        // The host's last label in the original, to tell `movie2k.COM` from `end.Then`.
                        let hostEnd = matched.utf8.firstIndex { "/?#".utf8.contains($0) }
                            .map { matched.utf8.distance(from: matched.utf8.startIndex, to: $0) } ?? matched.utf8.count - stripped
                        let lastLabelLength = url.prefix { !"/?#".contains($0) }.split(separator: ".").last?.utf8.count ?? 0
                        let lastLabelRange = (range.lowerBound + hostEnd - lastLabelLength)..<(range.lowerBound + hostEnd)
                        guard let bare = bareDomain(url, lastLabelAsWritten: originalText(of: lastLabelRange)) else { continue }
                        url = bare
                    }
                    guard let host = host(of: url) else { continue }
                    links.append(Link(url: url, host: host, flags: flags(host: host, originalSpan: originalText(of: range))))
                }
                for range in session.allMatches(of: runTogetherDot, in: bytes, maximum: 1_000).matches {
                    guard let url = capitalDotDomain(originalText(of: range)), let host = host(of: url) else { continue }
                    links.append(Link(url: url, host: host, flags: flags(host: host, originalSpan: url)))
                }
                return links
            }
        }
    }

    /// A bare domain as a link (`url` with its dots made plain), or `nil` when it is ordinary
    /// text by the rules in the type's description.
    static func bareDomain(_ url: String, lastLabelAsWritten written: String) -> String? {
        let hostEnd = url.firstIndex { "/?#".contains($0) } ?? url.endIndex
        var labels = url[..<hostEnd].lowercased().split(separator: ".", omittingEmptySubsequences: false).map(String.init)
        var rest = String(url[hostEnd...])
        let hasPath = !rest.isEmpty
        if let last = labels.last, !PublicSuffixList.isTopLevelDomain(last) {
            let capitals = written.prefix { $0.isASCII && $0.isUppercase }
            let junk = written.dropFirst(capitals.count)
            if capitals.count >= 2, (1...2).contains(junk.count), junk.allSatisfy({ $0.isASCII && $0.isLowercase }),
               PublicSuffixList.isTopLevelDomain(capitals.lowercased()) {
                labels[labels.count - 1] = capitals.lowercased()  // `movie2k.COMl`
            } else {
                // `site.com.Then`: the sentence ran on after the domain.
                while let last = labels.last, !PublicSuffixList.isTopLevelDomain(last) { labels.removeLast() }
                rest = ""
            }
        } else if !hasPath, let first = written.first, first.isUppercase, written.contains(where: \.isLowercase) {
            return nil  // `the end.Then`
        }
        let host = labels.joined(separator: ".")
        guard labels.count >= 2, let suffix = PublicSuffixList.suffixLabelCount(of: host), labels.count > suffix else { return nil }
        let name = labels[labels.count - suffix - 1]
        let pathCounts = !rest.isEmpty
        if name.count < 2 && !pathCounts { return nil }
        if suffix == 1, ambiguousEndings.contains(labels[labels.count - 1]), !pathCounts { return nil }
        return host + rest
    }

    /// `moviesDOTcom` → `movies.com`: `DOT` in capitals between a name in small letters (or
    /// digits) and a public suffix; `nil` for any other spelling (`anecdotal`, `pdotcom`).
    static func capitalDotDomain(_ written: String) -> String? {
        guard written.allSatisfy(\.isASCII), let dot = written.range(of: "DOT", options: .backwards) else { return nil }
        let name = written[..<dot.lowerBound], ending = written[dot.upperBound...].lowercased()
        guard let before = name.last, before.isLowercase || before.isNumber, name.count >= 2,
              !ambiguousEndings.contains(ending), PublicSuffixList.suffixLabelCount(of: ending) == 1 else { return nil }
        return name.lowercased() + "." + ending
    }

    /// `example dot com`, `example(.)com` → `example.com`.
    static func plainDots(_ url: String, session: MatchSession) -> String {
        guard url.contains(" ") || url.contains("(") || url.contains("[") || url.contains("{") else { return url }
        var text = url
        var result = ""
        text.withUTF8 { bytes in
            var position = 0
            for range in session.allMatches(of: obfuscatedDot, in: bytes).matches {
                result += String(decoding: UnsafeBufferPointer(rebasing: bytes[position..<range.lowerBound]), as: UTF8.self) + "."
                position = range.upperBound
            }
            result += String(decoding: UnsafeBufferPointer(rebasing: bytes[position...]), as: UTF8.self)
        }
        return result
    }

    static func host(of url: String) -> String? {
        var rest = Substring(url)
        if let scheme = rest.range(of: "://") { rest = rest[scheme.upperBound...] }
        var host = rest.prefix { !"/?#:".contains($0) }.lowercased()
        if let at = host.lastIndex(of: "@") { host = String(host[host.index(after: at)...]) }
        while host.hasSuffix(".") { host.removeLast() }
        if host.hasPrefix("www.") { host.removeFirst(4) }
        return host.contains(".") ? host : nil
    }

    static func flags(host: String, originalSpan: String) -> [String] {
        var flags: [String] = []
        let labels = host.split(separator: ".")
        if labels.count == 4 && labels.allSatisfy({ $0.count <= 3 && $0.allSatisfy(\.isASCII) && $0.allSatisfy(\.isNumber) }) {
            flags.append("ip-host")
        }
        if labels.contains(where: { $0.hasPrefix("xn--") }) { flags.append("punycode") }
        let scalars = originalSpan.unicodeScalars
        let hasLatin = scalars.contains { ($0.value | 0x20) >= 97 && ($0.value | 0x20) <= 122 }
        let hasLookalikeScript = scalars.contains { (0x0370...0x03FF).contains($0.value) || (0x0400...0x052F).contains($0.value) }
        if hasLatin && hasLookalikeScript { flags.append("mixed-script") }
        return flags
    }
}
