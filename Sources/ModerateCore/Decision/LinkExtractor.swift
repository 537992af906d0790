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

/// Finds links in text: `http(s)://` URLs, `www.` forms, bare domains with a real top-level
/// domain (`megasite.blogspot.co.uk/`), obfuscated dots, and (through the normaliser)
/// HTML anchors' targets and fullwidth or ideographic dots. Markdown links are URLs in
/// parentheses and are found as such. E-mail addresses are not links.
public enum LinkExtractor {
    /// Generic top-level domains common in comments; any two-letter country domain is
    /// accepted as well, except the file extensions below.
    static let genericTLDs = """
        com net org edu gov mil int info biz name pro mobi asia tel travel jobs xyz top online site club shop \
        store app dev page blog live life world today news email link click work space website tech cloud win \
        bid loan loans download review date party racing stream trade science men cam icu buzz monster rest fun \
        vip ltd group company agency digital media network solutions services center one best plus sale deals \
        money cash casino bet poker games game porn sex xxx adult dating singles health care pharmacy pills \
        market exchange finance capital credit fund investments bitcoin crypto coin rocks ninja guru tips
        """.split(whereSeparator: { $0 == " " || $0 == "\n" }).map(String.init)

    /// Two-letter endings that are far more often file names (`setup.py`, `notes.md`) than domains.
    static let fileExtensions: Set<String> = ["py", "sh", "md", "pl", "rs", "cc", "js", "ts", "cs", "ps", "ai", "so", "gz", "db", "mk", "pm", "rb", "am"]

    static let dot = #"(?:\.|\s*[(\[{]\s*(?:\.|dot)\s*[)\]}]\s*|\s+dot\s+|\s+\.\s+)"#
    static let label = #"[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?"#

    static let pattern: Regex = {
        let tlds = "(?:" + genericTLDs.joined(separator: "|") + "|[a-z]{2})"
        let scheme = #"https?://[^\s<>"'{}|\\^`\[\]]+"#
        // After `www.`, any ending: the prefix alone says it is a web address.
        let www = #"(?<![\w@.-])www"# + dot + label + "(?:" + dot + label + #")*(?:[/?#][^\s<>"'{}|\\^`\[\]]*)?"#
        let bare = #"(?<![\w@.-])(?:"# + label + dot + ")+" + tlds + #"(?![\w-])(?:[/?#][^\s<>"'{}|\\^`\[\]]*)?"#
        // Built from constants: a failure here is a programming error, caught by every test run.
        return try! Regex(scheme + "|" + www + "|" + bare, options: [.caseless])
    }()

    static let obfuscatedDot: Regex = try! Regex(dot, options: [.caseless])

    /// Links in a normalised text (normalise without leetspeak folding: `site4u.com` must stay).
    public static func links(in text: NormalizedText, original: String, session: MatchSession) -> [Link] {
        var normalized = text.text
        var originalText = original
        return normalized.withUTF8 { bytes in
            originalText.withUTF8 { originalBytes in
                var links: [Link] = []
                for range in session.allMatches(of: pattern, in: bytes, maximum: 1_000).matches {
                    var url = String(decoding: UnsafeBufferPointer(rebasing: bytes[range]), as: UTF8.self)
                    url = plainDots(url, session: session)
                    while let last = url.last, ".,;:!?)'\"".contains(last) { url.removeLast() }
                    guard let host = host(of: url) else { continue }
                    let isBare = !url.hasPrefix("http") && !url.hasPrefix("www.")
                    if isBare, !url.contains("/"), let tld = host.split(separator: ".").last, fileExtensions.contains(String(tld)) {
                        continue
                    }
                    let source = text.originalRange(of: range)
                    let span = UnsafeBufferPointer(rebasing: originalBytes[source.clamped(to: 0..<originalBytes.count)])
                    links.append(Link(url: url, host: host, flags: flags(host: host, originalSpan: String(decoding: span, as: UTF8.self))))
                }
                return links
            }
        }
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
