import Foundation

/// A JSON array of comment objects, as WP-CLI prints them
/// (`wp comment list --status=spam --format=json`; README, "Input: WP-CLI"). WordPress's
/// field names map to the record's: `comment_ID` is `id`, `comment_content` is `body`,
/// `comment_approved` is kept as `wp_approved` (as the WXR reader keeps it), and so on; an
/// object written in moderate's own schema (`id`, `body`, …) is read as it is.
///
/// The array is cut into its objects as bytes stream in, so memory holds one object at a
/// time, however large the array (WP-CLI prints it on one line). An element that is not a
/// comment object becomes an `InputError`, and reading goes on with the next.
final class JSONArrayReader: CommentReader {
    let file: InputFile?
    private let input: InputFile
    private let sourceName: String
    private let maxRecordBytes: Int
    /// How a person raises it (`ReadOptions.recordLimitSetting`).
    private let limitSetting: String?
    private var buffer = [UInt8](repeating: 0, count: 64 << 10)
    private var bufferEnd = 0
    private var position = 0
    private var line = 1
    private var started = false
    private var finished = false

    init(file: InputFile, maxRecordBytes: Int, limitSetting: String? = nil) {
        self.file = file
        input = file
        sourceName = file.source.displayName
        self.maxRecordBytes = maxRecordBytes
        self.limitSetting = limitSetting
    }

    private func nextByte() throws -> UInt8? {
        if position == bufferEnd {
            bufferEnd = try buffer.withUnsafeMutableBytes { try input.read(into: $0) }
            position = 0
            if bufferEnd == 0 { return nil }
        }
        let byte = buffer[position]
        position += 1
        if byte == 0x0A { line += 1 }
        return byte
    }

    private func isSpace(_ byte: UInt8) -> Bool { byte == 0x20 || byte == 0x09 || byte == 0x0A || byte == 0x0D }

    func next() throws -> InputItem? {
        guard !finished else { return nil }
        if !started {
            started = true
            var byte = try nextByte()
            if byte == 0xEF { _ = try nextByte(); _ = try nextByte(); byte = try nextByte() }   // a byte-order mark
            while let current = byte, isSpace(current) { byte = try nextByte() }
            guard byte == UInt8(ascii: "[") else {
                finished = true
                return .error(InputError(source: sourceName, line: line, reason: "not a JSON array: it must start with [", raw: byte.map { [$0] } ?? []))
            }
        }
        // Between elements: white space and commas, until an element or the closing bracket.
        var first: UInt8?
        while let byte = try nextByte() {
            if isSpace(byte) || byte == UInt8(ascii: ",") { continue }
            first = byte
            break
        }
        guard let opening = first, opening != UInt8(ascii: "]") else {
            finished = true
            if first == nil {
                return .error(InputError(source: sourceName, line: line, reason: "the JSON array is not closed (truncated?)", raw: []))
            }
            return nil
        }
        let startLine = line
        var raw: [UInt8] = [opening]
        var depth = opening == UInt8(ascii: "{") || opening == UInt8(ascii: "[") ? 1 : 0
        var inString = opening == UInt8(ascii: "\"")
        var escaped = false
        var tooLong = false
        // A scalar element (a number, a string) ends at the next comma or bracket.
        while depth > 0 || inString || (opening != UInt8(ascii: "{") && opening != UInt8(ascii: "[")) {
            guard let byte = try nextByte() else {
                finished = true
                return .error(InputError(source: sourceName, line: startLine, reason: "the JSON array ends inside an element (truncated?)", raw: raw))
            }
            if depth == 0 && !inString && (byte == UInt8(ascii: ",") || byte == UInt8(ascii: "]")) {
                if byte == UInt8(ascii: "]") { finished = true }
                break
            }
            if raw.count < maxRecordBytes { raw.append(byte) } else { tooLong = true }
            if inString {
                if escaped { escaped = false } else if byte == UInt8(ascii: "\\") { escaped = true } else if byte == UInt8(ascii: "\"") { inString = false }
                continue
            }
            switch byte {
            case UInt8(ascii: "\""): inString = true
            case UInt8(ascii: "{"), UInt8(ascii: "["): depth += 1
            case UInt8(ascii: "}"), UInt8(ascii: "]"): depth -= 1
            default: break
            }
        }
        if tooLong {
            return .error(InputError(source: sourceName, line: startLine,
                                     reason: "element longer than \(ReadOptions.recordLimitPhrase(maxRecordBytes, setting: limitSetting)); cut here", raw: Array(raw.prefix(1 << 20))))
        }
        return Self.comment(fromElement: raw, source: sourceName, line: startLine)
    }

    /// WP-CLI's names for the record's fields, in the order they are tried.
    static let wordPressNames: [(CommentField, String)] = [
        (.id, "comment_ID"), (.post, "comment_post_ID"), (.parent, "comment_parent"), (.author, "comment_author"),
        (.authorEmail, "comment_author_email"), (.authorURL, "comment_author_url"), (.ip, "comment_author_IP"),
        (.userAgent, "comment_agent"), (.date, "comment_date_gmt"), (.date, "comment_date"), (.body, "comment_content"),
    ]

    static func comment(fromElement raw: [UInt8], source: String, line: Int) -> InputItem {
        var repair: String?
        var bytes = raw
        if String(validating: raw, as: UTF8.self) == nil {
            bytes = Array(String(decoding: raw, as: UTF8.self).utf8)
            repair = "invalid UTF-8 replaced with U+FFFD"
        }
        guard let object = try? JSONSerialization.jsonObject(with: Data(bytes)) as? [String: Any] else {
            return .error(InputError(source: source, line: line, reason: "not a comment: an array element that is not a JSON object", raw: raw))
        }
        func text(_ key: String) -> String? {
            switch object[key] {
            case let string as String: return string
            case let number as NSNumber: return number.stringValue
            default: return nil
            }
        }
        var record = RecordBuilder()
        for field in CommentField.allCases { record.set(field, text(field.rawValue)) }
        var hasBody = text(CommentField.body.rawValue) != nil
        var taken: Set<CommentField> = []
        for (field, name) in wordPressNames where !taken.contains(field) {
            guard var value = text(name) else { continue }
            if field == .date && (value.isEmpty || value.hasPrefix("0000")) { continue }
            if field == .parent && (value == "0" || value.isEmpty) { continue }
            if field != .body && field != .author { value = value.trimmingSpaces() }
            record.set(field, value)
            taken.insert(field)
            if field == .body { hasBody = true }
        }
        guard hasBody else {
            return .error(InputError(source: source, line: line, reason: "not a comment: no comment_content or body", raw: raw))
        }
        record.add("wp_approved", text("comment_approved")?.trimmingSpaces())
        if let type = text("comment_type") { record.add("wp_type", type.isEmpty ? "comment" : type) }
        record.add("wp_date_local", text("comment_date"))
        if let user = text("user_id"), user != "0", !user.isEmpty { record.add("wp_user_id", user) }
        // Anything else the object carries (a `label`, say) is kept, as the CSV reader keeps its columns.
        let known = Set(CommentField.names + wordPressNames.map(\.1) + ["comment_approved", "comment_type", "user_id"])
        for key in object.keys.sorted() where !known.contains(key) {
            if let value = text(key) { record.add(key, value) }
        }
        return .comment(record.build(source: source, line: line, repair: repair))
    }
}
