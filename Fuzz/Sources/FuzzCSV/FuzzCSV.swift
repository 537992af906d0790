import FuzzSupport
import ModerateCore

/// CSV: header, quoted fields across lines, the row limit, column mapping by header name.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzCSV(_ data: UnsafePointer<UInt8>?, _ size: Int) -> Int32 {
    Fuzz.drain(Fuzz.write(data, size, to: "input.csv"), format: .csv)
    return 0
}

@_cdecl("FuzzCSV_main")
public func main(_ argc: Int32, _ argv: Arguments?) -> Int32 {
    Fuzz.run(argc, argv, fuzzCSV)
}
