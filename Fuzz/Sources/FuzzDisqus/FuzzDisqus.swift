import FuzzSupport
import ModerateCore

/// Disqus XML: threads and posts, the thread index, attributes, the element limit.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzDisqus(_ data: UnsafePointer<UInt8>?, _ size: Int) -> Int32 {
    Fuzz.drain(Fuzz.write(data, size, to: "input.xml"), format: .disqus)
    return 0
}

@_cdecl("FuzzDisqus_main")
public func main(_ argc: Int32, _ argv: Arguments?) -> Int32 {
    Fuzz.run(argc, argv, fuzzDisqus)
}
