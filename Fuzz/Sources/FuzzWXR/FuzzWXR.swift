import FuzzSupport
import ModerateCore

/// WordPress WXR: the record scanner, per-record XMLParser, entities, encodings, the element limit.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzWXR(_ data: UnsafePointer<UInt8>?, _ size: Int) -> Int32 {
    Fuzz.drain(Fuzz.write(data, size, to: "input.xml"), format: .wxr)
    return 0
}

@_cdecl("FuzzWXR_main")
public func main(_ argc: Int32, _ argv: Arguments?) -> Int32 {
    Fuzz.run(argc, argv, fuzzWXR)
}
