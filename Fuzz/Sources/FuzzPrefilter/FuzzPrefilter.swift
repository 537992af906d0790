import FuzzSupport
import PCRE2

/// The prefilter's analysis (RequiredLiterals) against PCRE2 itself: the input is a pattern,
/// a newline and a text. Whenever PCRE2 finds a match, the text must meet what the analysis
/// requires (`RequiredLiterals.isMet`), or the prefilter would skip a rule that matches.
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
        precondition(required.isMet(by: text),
                     "\(pattern.debugDescription) matches \(text.debugDescription) but \(required) is not met in it")
    }
    return 0
}

enum Prefilter {
    nonisolated(unsafe) static let session = MatchSession(limits: MatchLimits(matchLimit: 100_000))
}

@_cdecl("FuzzPrefilter_main")
public func main(_ argc: Int32, _ argv: Arguments?) -> Int32 {
    Fuzz.run(argc, argv, fuzzPrefilter)
}
