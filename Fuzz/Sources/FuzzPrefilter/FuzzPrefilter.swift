import FuzzSupport
import PCRE2

/// The prefilter's analysis (RequiredLiterals) against PCRE2 itself: the input is a pattern,
/// a newline and a text. Whenever PCRE2 finds a match, the text must hold a literal of every
/// required group and the required runs, or the prefilter would skip a rule that matches.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzPrefilter(_ data: UnsafePointer<UInt8>?, _ size: Int) -> Int32 {
    guard let data, let newline = UnsafeBufferPointer(start: data, count: size).firstIndex(of: 0x0A) else { return 0 }
    let bytes = UnsafeBufferPointer(start: data, count: size)
    let pattern = String(decoding: bytes[..<newline], as: UTF8.self)
    let text = String(decoding: bytes[(newline + 1)...], as: UTF8.self)
    let options: [RegexOptions] = [.caseless, [.caseless, .unicodeProperties], []]
    for option in options {
        guard let regex = try? Regex(pattern, options: option),
              case .match = Prefilter.session.firstMatch(of: regex, in: text) else { continue }
        let required = RequiredLiterals(pattern: pattern, options: option)
        let folded = Prefilter.folded(text)
        for group in required.allOf where !group.contains(where: { Prefilter.contains(folded, $0) }) {
            fatalError("\(pattern.debugDescription) matches \(text.debugDescription) without any of \(group)")
        }
        let wordRun = Prefilter.longestRun(text) { $0 >= 0x80 || $0 == 0x5F || (0x30...0x39).contains($0)
            || (0x41...0x5A).contains($0) || (0x61...0x7A).contains($0) }
        let digitRun = Prefilter.longestRun(text) { $0 >= 0x80 || (0x30...0x39).contains($0) }
        precondition(wordRun >= required.wordRun && digitRun >= required.digitRun,
                     "\(pattern.debugDescription) matches \(text.debugDescription) without the runs it needs")
    }
    return 0
}

/// Written independently of the scanner: how the prefilter is meant to read a text.
enum Prefilter {
    nonisolated(unsafe) static let session = MatchSession(limits: MatchLimits(matchLimit: 100_000))

    static func folded(_ text: String) -> [UInt8] {
        var bytes: [UInt8] = []
        for scalar in text.unicodeScalars {
            switch scalar {
            case "\u{017F}": bytes.append(UInt8(ascii: "s"))
            case "\u{212A}": bytes.append(UInt8(ascii: "k"))
            default: bytes += Array(String(scalar).utf8).map { (0x41...0x5A).contains($0) ? $0 | 0x20 : $0 }
            }
        }
        return bytes
    }

    static func contains(_ haystack: [UInt8], _ needle: [UInt8]) -> Bool {
        guard needle.count <= haystack.count else { return false }
        return (0...(haystack.count - needle.count)).contains { haystack[$0..<($0 + needle.count)].elementsEqual(needle) }
    }

    static func longestRun(_ text: String, _ counts: (UInt8) -> Bool) -> Int {
        var longest = 0
        var current = 0
        for byte in text.utf8 {
            current = counts(byte) ? current + 1 : 0
            longest = max(longest, current)
        }
        return longest
    }
}

@_cdecl("FuzzPrefilter_main")
public func main(_ argc: Int32, _ argv: Arguments?) -> Int32 {
    Fuzz.run(argc, argv, fuzzPrefilter)
}
