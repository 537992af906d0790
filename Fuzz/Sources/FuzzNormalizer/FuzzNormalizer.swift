import FuzzSupport
import ModerateCore

/// TextNormalizer: every normalised view must map each range back into the original text.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzNormalizer(_ data: UnsafePointer<UInt8>?, _ size: Int) -> Int32 {
    let bytes = data.map { Array(UnsafeBufferPointer(start: $0, count: size)) } ?? []
    let text = String(decoding: bytes, as: UTF8.self)
    let originalCount = text.utf8.count
    for leet in [true, false] {
        let normalized = TextNormalizer.normalize(text, foldLeetspeak: leet)
        let count = normalized.text.utf8.count
        // Every range in the view, including empty ones at each end, maps into the original.
        for range in [0..<count, 0..<0, count..<count, (count / 2)..<count, 0..<(count / 2)] {
            let original = normalized.originalRange(of: range)
            precondition(original.lowerBound >= 0 && original.upperBound <= originalCount,
                         "range \(range) of the view maps to \(original), outside 0..<\(originalCount)")
        }
    }
    return 0
}

@_cdecl("FuzzNormalizer_main")
public func main(_ argc: Int32, _ argv: Arguments?) -> Int32 {
    Fuzz.run(argc, argv, fuzzNormalizer)
}
