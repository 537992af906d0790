/// A fast reader for the common shape of a comment line: one flat JSON object whose values
/// are strings, integers, true, false or null. It reads such a line several times faster than
/// JSONSerialization and gives the same fields; any line it is not sure of (nested values,
/// fractions, exponents, duplicate or escaped-odd keys, anything malformed) it declines with
/// nil, and `JSONLineDecoder` reads that line the general way. So it never decides what is
/// valid JSON: it only recognises a strict subset of it.
enum FlatJSONObject {
    /// The comment fields in `line` (valid UTF-8), or nil to say "use the general reader".
    /// `hasModeration` is set when a `moderation` key is present (the caller rewrites those).
    static func fields(in line: [UInt8]) -> (fields: [CommentField: String], hasModeration: Bool)? {
        line.withUnsafeBufferPointer { bytes in
            var reader = Reader(bytes: bytes)
            return reader.readObject()
        }
    }

    /// Only the fields in `wanted`, the others stepped over unread (and unchecked for
    /// duplicates): what the copy count needs of a line (`BodyCopyCounts`), which reads
    /// every line once more before the run. The values read are those `fields(in:)` gives.
    static func fields(_ wanted: Set<CommentField>, in line: [UInt8]) -> [CommentField: String]? {
        var mask: UInt32 = 0
        for field in wanted { mask |= 1 << UInt32(field.index) }
        return line.withUnsafeBufferPointer { bytes in
            var reader = Reader(bytes: bytes)
            return reader.readObject(wanted: mask)?.fields
        }
    }

    private struct Reader {
        let bytes: UnsafeBufferPointer<UInt8>
        var position = 0

        mutating func skipSpace() {
            while position < bytes.count {
                switch bytes[position] {
                case 0x20, 0x09, 0x0A, 0x0D: position += 1
                default: return
                }
            }
        }

        mutating func take(_ byte: UInt8) -> Bool {
            guard position < bytes.count, bytes[position] == byte else { return false }
            position += 1
            return true
        }

        mutating func readObject(wanted: UInt32 = .max) -> (fields: [CommentField: String], hasModeration: Bool)? {
            var fields: [CommentField: String] = Dictionary(minimumCapacity: CommentField.allCases.count)
            var hasModeration = false
            var seenFields: UInt32 = 0   // bit `CommentField.index`
            skipSpace()
            guard take(UInt8(ascii: "{")) else { return nil }
            skipSpace()
            if !take(UInt8(ascii: "}")) {
                while true {
                    skipSpace()
                    guard let key = readString() else { return nil }
                    skipSpace()
                    guard take(UInt8(ascii: ":")) else { return nil }
                    skipSpace()
                    let valueStart = position
                    if key == "moderation" { hasModeration = true }
                    if let field = CommentField(rawValue: key) {
                        // Which of two equal keys wins is the general reader's business.
                        let bit: UInt32 = 1 << UInt32(field.index)
                        guard seenFields & bit == 0 else { return nil }
                        seenFields |= bit
                        if wanted & bit != 0 {
                            guard let value = readValue() else { return nil }
                            // A body that is not a string is an error the general reader words.
                            if field == .body && bytes[valueStart] != UInt8(ascii: "\"") { return nil }
                            if let text = value { fields[field] = text }
                        } else {
                            guard skipValue() else { return nil }
                        }
                    } else {
                        guard skipValue() else { return nil }
                    }
                    skipSpace()
                    if take(UInt8(ascii: ",")) { continue }
                    guard take(UInt8(ascii: "}")) else { return nil }
                    break
                }
            }
            skipSpace()
            guard position == bytes.count else { return nil }
            return (fields, hasModeration)
        }

        /// A value: `.some(text)` for a string or an integer, `.some(nil)` for true, false
        /// and null (not text a rule can match), nil when this reader declines.
        mutating func readValue() -> String?? {
            guard position < bytes.count else { return nil }
            switch bytes[position] {
            case UInt8(ascii: "\""):
                guard let string = readString() else { return nil }
                return .some(string)
            case UInt8(ascii: "t"): return readWord("true") ? .some(nil) : nil
            case UInt8(ascii: "f"): return readWord("false") ? .some(nil) : nil
            case UInt8(ascii: "n"): return readWord("null") ? .some(nil) : nil
            case UInt8(ascii: "-"), UInt8(ascii: "0")...UInt8(ascii: "9"):
                guard let number = readInteger() else { return nil }
                return .some(number)
            default:
                return nil  // objects and lists: the general reader
            }
        }

        /// Steps over a value no field is read from, checking it as `readValue` would.
        mutating func skipValue() -> Bool {
            guard position < bytes.count else { return false }
            guard bytes[position] == UInt8(ascii: "\"") else { return readValue() != nil }
            let start = position
            position += 1
            while position < bytes.count {
                let byte = bytes[position]
                if byte == UInt8(ascii: "\"") {
                    position += 1
                    return true
                }
                // Escapes are rare: read the whole string the careful way.
                if byte == UInt8(ascii: "\\") || byte < 0x20 {
                    position = start
                    return readString() != nil
                }
                position += 1
            }
            return false
        }

        mutating func readWord(_ word: StaticString) -> Bool {
            let count = word.utf8CodeUnitCount
            guard position + count <= bytes.count else { return false }
            for index in 0..<count where bytes[position + index] != word.utf8Start[index] { return false }
            position += count
            return true
        }

        /// `-?(0|[1-9][0-9]*)`, not followed by a fraction or exponent, and small enough that
        /// the general reader writes it the same way (as a plain integer).
        mutating func readInteger() -> String? {
            let start = position
            _ = take(UInt8(ascii: "-"))
            let digitsStart = position
            while position < bytes.count, (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(bytes[position]) { position += 1 }
            let digits = position - digitsStart
            guard digits > 0, digits <= 15 else { return nil }
            if digits > 1 && bytes[digitsStart] == UInt8(ascii: "0") { return nil }
            if position < bytes.count, [UInt8(ascii: "."), UInt8(ascii: "e"), UInt8(ascii: "E")].contains(bytes[position]) {
                return nil
            }
            guard let value = Int64(String(decoding: UnsafeBufferPointer(rebasing: bytes[start..<position]), as: UTF8.self)) else {
                return nil
            }
            return String(value)  // "-0" becomes "0", as the general reader writes it
        }

        /// A string, its escapes decoded; nil on anything unusual (control characters, bad
        /// escapes, lone surrogates, a missing end quote).
        mutating func readString() -> String? {
            guard take(UInt8(ascii: "\"")) else { return nil }
            let start = position
            // The common case: no escapes, the bytes are the string.
            while position < bytes.count {
                let byte = bytes[position]
                if byte == UInt8(ascii: "\"") {
                    let string = String(decoding: UnsafeBufferPointer(rebasing: bytes[start..<position]), as: UTF8.self)
                    position += 1
                    return string
                }
                if byte == UInt8(ascii: "\\") { break }
                if byte < 0x20 { return nil }
                position += 1
            }
            guard position < bytes.count else { return nil }
            var scalars = String.UnicodeScalarView()
            scalars.append(contentsOf: String(decoding: UnsafeBufferPointer(rebasing: bytes[start..<position]), as: UTF8.self).unicodeScalars)
            var pending: [UInt8] = []
            func flush() {
                scalars.append(contentsOf: String(decoding: pending, as: UTF8.self).unicodeScalars)
                pending.removeAll(keepingCapacity: true)
            }
            while position < bytes.count {
                let byte = bytes[position]
                position += 1
                switch byte {
                case UInt8(ascii: "\""):
                    flush()
                    return String(scalars)
                case UInt8(ascii: "\\"):
                    flush()
                    guard position < bytes.count else { return nil }
                    let escape = bytes[position]
                    position += 1
                    switch escape {
                    case UInt8(ascii: "\""): scalars.append("\"")
                    case UInt8(ascii: "\\"): scalars.append("\\")
                    case UInt8(ascii: "/"): scalars.append("/")
                    case UInt8(ascii: "b"): scalars.append("\u{08}")
                    case UInt8(ascii: "f"): scalars.append("\u{0C}")
                    case UInt8(ascii: "n"): scalars.append("\n")
                    case UInt8(ascii: "r"): scalars.append("\r")
                    case UInt8(ascii: "t"): scalars.append("\t")
                    case UInt8(ascii: "u"):
                        guard let unit = readHex4() else { return nil }
                        if (0xD800..<0xDC00).contains(unit) {
                            guard take(UInt8(ascii: "\\")), take(UInt8(ascii: "u")), let low = readHex4(),
                                  (0xDC00..<0xE000).contains(low) else { return nil }
                            scalars.append(Unicode.Scalar(0x10000 + ((unit - 0xD800) << 10) + (low - 0xDC00))!)
                        } else {
                            guard let scalar = Unicode.Scalar(unit) else { return nil }  // a lone low surrogate
                            scalars.append(scalar)
                        }
                    default:
                        return nil
                    }
                default:
                    if byte < 0x20 { return nil }
                    pending.append(byte)
                }
            }
            return nil
        }

        mutating func readHex4() -> UInt32? {
            guard position + 4 <= bytes.count else { return nil }
            var value: UInt32 = 0
            for _ in 0..<4 {
                let byte = bytes[position]
                position += 1
                let digit: UInt8
                switch byte {
                case UInt8(ascii: "0")...UInt8(ascii: "9"): digit = byte - UInt8(ascii: "0")
                case UInt8(ascii: "a")...UInt8(ascii: "f"): digit = byte - UInt8(ascii: "a") + 10
                case UInt8(ascii: "A")...UInt8(ascii: "F"): digit = byte - UInt8(ascii: "A") + 10
                default: return nil
                }
                value = value << 4 | UInt32(digit)
            }
            return value
        }
    }
}
