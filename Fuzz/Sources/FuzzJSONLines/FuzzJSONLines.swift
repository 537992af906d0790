import FuzzSupport
import ModerateCore

/// JSON lines: the reader (line limit, BOM, UTF-8 repair), JSONLineDecoder (its fast reader
/// checked against JSONSerialization), and the decision and queue record of every comment read.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzJSONLines(_ data: UnsafePointer<UInt8>?, _ size: Int) -> Int32 {
    Fuzz.drain(Fuzz.write(data, size, to: "input.jsonl"), format: .jsonl)
    // The fast reader for flat objects must agree with JSONSerialization on every line.
    for line in UnsafeBufferPointer(start: data, count: data == nil ? 0 : size).split(separator: 0x0A) {
        let fast = JSONLineDecoder.decode(Array(line), source: "fuzz", lineNumber: 1)
        let general = JSONLineDecoder.decode(Array(line), source: "fuzz", lineNumber: 1, generalOnly: true)
        switch (fast, general) {
        case (.success(let a), .success(let b)):
            precondition(a.comment.fields == b.comment.fields && a.originalJSON == b.originalJSON, "readers disagree")
        case (.failure(let a), .failure(let b)):
            precondition(a == b, "readers disagree on an error")
        default:
            preconditionFailure("one reader accepts what the other refuses")
        }
    }
    return 0
}

@_cdecl("FuzzJSONLines_main")
public func main(_ argc: Int32, _ argv: Arguments?) -> Int32 {
    Fuzz.run(argc, argv, fuzzJSONLines)
}
