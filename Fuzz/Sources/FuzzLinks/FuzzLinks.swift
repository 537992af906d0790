import FuzzSupport
import ModerateCore
import PCRE2

/// LinkExtractor: links, domains and flags from any text, through the normalised view.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzLinks(_ data: UnsafePointer<UInt8>?, _ size: Int) -> Int32 {
    let bytes = data.map { Array(UnsafeBufferPointer(start: $0, count: size)) } ?? []
    let text = String(decoding: bytes, as: UTF8.self)
    let normalized = TextNormalizer.normalize(text)
    let links = LinkExtractor.links(in: normalized, original: text, session: Links.session)
    for link in links { _ = "\(link)" }
    // And through a whole decision with the shipped rules (link rules, allowed domains).
    _ = Fuzz.defaultDecider.decide(Comment(id: "f", fields: [.body: text, .authorURL: text]))
    return 0
}

enum Links {
    nonisolated(unsafe) static let session = MatchSession()
}

@_cdecl("FuzzLinks_main")
public func main(_ argc: Int32, _ argv: Arguments?) -> Int32 {
    Fuzz.run(argc, argv, fuzzLinks)
}
