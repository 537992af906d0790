import Foundation
import FuzzSupport
import ModerateCore

/// WP-CLI's JSON arrays (`wp comment list --format=json`): one element at a time, nesting,
/// strings with brackets and escapes, the record limit, an array cut short. Where
/// JSONSerialization reads the whole input as an array, the reader must give exactly one item
/// (a comment or an error) per element: none lost, none split, none made up.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzJSONArray(_ data: UnsafePointer<UInt8>?, _ size: Int) -> Int32 {
    let path = Fuzz.write(data, size, to: "input.json")
    Fuzz.drain(path, format: .json)
    let bytes = Data(UnsafeBufferPointer(start: data, count: data == nil ? 0 : size))
    if let elements = try? JSONSerialization.jsonObject(with: bytes) as? [Any],
       let reader = try? CommentReaders.open(InputSource(path: path), format: .json,
                                             options: ReadOptions(maxRecordBytes: 4096)) {
        var items = 0
        while let item = try? reader.next() {
            if case .error(let error) = item, error.line == 0 { continue }  // how the input ended, not an element
            items += 1
        }
        precondition(items == elements.count, "\(elements.count) elements read as \(items) items")
    }
    return 0
}

@_cdecl("FuzzJSONArray_main")
public func main(_ argc: Int32, _ argv: Arguments?) -> Int32 {
    Fuzz.run(argc, argv, fuzzJSONArray)
}
