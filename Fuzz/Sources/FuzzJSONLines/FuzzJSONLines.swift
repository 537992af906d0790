import FuzzSupport
import ModerateCore

/// JSON lines: the reader (line limit, BOM, UTF-8 repair), JSONLineDecoder, and the decision
/// and queue record of every comment read.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzJSONLines(_ data: UnsafePointer<UInt8>?, _ size: Int) -> Int32 {
    Fuzz.drain(Fuzz.write(data, size, to: "input.jsonl"), format: .jsonl)
    return 0
}

@_cdecl("FuzzJSONLines_main")
public func main(_ argc: Int32, _ argv: Arguments?) -> Int32 {
    Fuzz.run(argc, argv, fuzzJSONLines)
}
