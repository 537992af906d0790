import Foundation

/// The keys that appear more than once at the top of a JSON object. RFC 8259 leaves open which
/// value counts when a key repeats: one parser takes the first, another the last. If the site
/// shows one `body` and moderate checks the other, a spammer has a way past the rules, so a
/// line that repeats a key moderate reads is not moderated (it goes to errors.jsonl).
///
/// Only for a line JSONSerialization has already accepted as an object; read a byte at a time,
/// so it is kept off the fast path (`FlatJSONObject` declines repeated fields itself).
enum DuplicateKeys {
    static func topLevel(in object: [UInt8]) -> [String] {
        var seen = Set<String>()
        var repeated: [String] = []
        var depth = 0
        var position = 0
        var expectingKey = false
        while position < object.count {
            let byte = object[position]
            switch byte {
            case UInt8(ascii: "\""):
                let start = position
                position += 1
                while position < object.count && object[position] != UInt8(ascii: "\"") {
                    position += object[position] == UInt8(ascii: "\\") ? 2 : 1
                }
                if depth == 1 && expectingKey {
                    let key = decodedString(object[start...min(position, object.count - 1)])
                    if !seen.insert(key).inserted && !repeated.contains(key) { repeated.append(key) }
                    expectingKey = false
                }
            case UInt8(ascii: "{"), UInt8(ascii: "["):
                depth += 1
                expectingKey = depth == 1
            case UInt8(ascii: "}"), UInt8(ascii: "]"):
                depth -= 1
            case UInt8(ascii: ","):
                if depth == 1 { expectingKey = true }
            default:
                break
            }
            position += 1
        }
        return repeated
    }

    /// A key as JSON means it: `"b\u006fdy"` is `body`.
    private static func decodedString(_ quoted: ArraySlice<UInt8>) -> String {
        guard quoted.contains(UInt8(ascii: "\\")) else {
            return String(decoding: quoted.dropFirst().dropLast(), as: UTF8.self)
        }
        let value = try? JSONSerialization.jsonObject(with: Data(quoted), options: [.fragmentsAllowed])
        return value as? String ?? String(decoding: quoted, as: UTF8.self)
    }
}
