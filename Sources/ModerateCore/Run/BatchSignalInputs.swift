import Crypto
import Foundation

/// The batch signals of a comment (`same_body`, `author_burst`) computed outside this
/// process, by an engine that sees every partition of the input (README, "Past one machine").
///
/// An outside engine works in two passes. First `moderate filter --batch-keys` writes, for each
/// record, what the counts are made of (`BatchKeys`): stable hashes of the normalised body, of
/// the record and of each author key, and the comment's date. The engine counts over the
/// whole input in input order, then appends the two numbers to each comment's JSON line as
/// its last field, `"moderate_batch":{"same_body":N,"author_burst":M}`, and
/// `moderate filter --batch-signals given` takes them off again (`GivenBatchSignalsReader`):
/// the comment is decided and written exactly as the line was before the field was added.
public enum BatchSignalInputs {
    /// The reserved field's name, with the bytes that open it.
    public static let fieldName = "moderate_batch"
    static let opening = Array(",\"\(fieldName)\":{".utf8)

    /// Takes the reserved field off the end of a JSON line: the line as it was before the
    /// field was appended, and the signals it gave. Nil when the line does not end with it.
    /// The field is looked for only at the end: a quote inside a JSON string is always
    /// escaped, so its opening bytes cannot occur inside a string.
    public static func split(_ line: [UInt8]) throws -> (original: [UInt8], signals: BatchSignals)? {
        var end = line.count
        while end > 0, [0x20, 0x09, 0x0A, 0x0D].contains(line[end - 1]) { end -= 1 }
        guard end >= 2, line[end - 1] == UInt8(ascii: "}"), line[end - 2] == UInt8(ascii: "}"),
              let start = lastIndex(of: opening, in: line[..<end]) else { return nil }
        // Exactly `{"same_body":N,"author_burst":M}` (as `fieldValue` writes it), without
        // the record's closing brace: nothing else is accepted, so nothing is guessed.
        let value = String(decoding: line[(start + opening.count - 1)..<(end - 1)], as: UTF8.self)
        let parts = value.split(separator: ",")
        guard parts.count == 2, parts[0].hasPrefix("{\"same_body\":"), parts[1].hasPrefix("\"author_burst\":"), parts[1].hasSuffix("}"),
              let sameBody = whole(parts[0].dropFirst(13)), let authorBurst = whole(parts[1].dropFirst(15).dropLast()) else {
            throw Malformed()
        }
        return (Array(line[..<start]) + [UInt8(ascii: "}")], BatchSignals(sameBody: sameBody, authorBurst: authorBurst))
    }

    /// The field as an outside engine appends it to a record.
    public static func fieldValue(_ signals: BatchSignals) -> String {
        "{\"same_body\":\(signals.sameBody),\"author_burst\":\(signals.authorBurst)}"
    }

    /// The field's value is not two whole numbers of at least 1 under those names.
    public struct Malformed: Error {}

    private static func whole(_ digits: Substring) -> Int? {
        guard !digits.isEmpty, digits.allSatisfy({ $0.isASCII && $0.isNumber }), let value = Int(digits), value >= 1 else { return nil }
        return value
    }

    private static func lastIndex(of pattern: [UInt8], in bytes: ArraySlice<UInt8>) -> Int? {
        guard bytes.count >= pattern.count else { return nil }
        var index = bytes.endIndex - pattern.count
        while index >= bytes.startIndex {
            if bytes[index] == pattern[0] && bytes[index..<(index + pattern.count)].elementsEqual(pattern) { return index }
            index -= 1
        }
        return nil
    }

    /// A stable key (hex SHA-256, the same in every process and on every machine) for text:
    /// the counts of an outside engine are made on these, never on the text itself, so no
    /// e-mail, IP or body leaves the pass.
    static func stableKey(_ text: String) -> String {
        SHA256.hash(data: Array(text.utf8)).map { String(format: "%02x", $0) }.joined()
    }
}

/// One line of `moderate filter --batch-keys`: what the batch signals of one record are
/// counted from, in the record's place in the input.
///
/// - `ahead`: what `run`'s count ahead of the whole input (`BodyCopyCounts`) counts for this
///   record: `body`, the key of its normalised body, and `record`, the key of the record (the
///   same record met twice in a row for one body counts once). Null when the record has no
///   body long enough to count (`BodyCopyCounts.minimumLetters`).
/// - `seen`: null when the record is not a comment; else `body` (null when too short),
///   `authors` (the keys a burst is counted under: name, e-mail, IP) and `seconds` (its
///   date, or null when it has none).
/// - `burst_window`: the rules' burst window, in seconds.
///
/// Then, with the records in input order:
/// `same_body` = 1 when `seen.body` is null, else the larger of (the records so far, this one
/// included, whose `seen.body` is the same) and (the records of the whole input whose
/// `ahead.body` is the same, not counting a record right after itself);
/// `author_burst` = 1 when `seen.authors` is empty, else the largest, over its authors, of 1 +
/// the earlier comments among the last 256 with that author whose `seconds` are within
/// `burst_window` of this one's (a comment without a date is near every other one).
public enum BatchKeys {
    public static func encode(_ item: ReadItem, burstWindowSeconds: Double) -> [UInt8] {
        var writer = JSONWriter(capacity: 400)
        writer.beginObject()
        writer.key("ahead")
        if let (body, record) = BodyCopyCounts.bodyAndRecord(of: item),
           let key = bodyKey(TextNormalizer.normalize(body).text) {
            writer.beginObject()
            writer.field("body", key)
            writer.field("record", record.bytes.map { String(format: "%02x", $0) }.joined())
            writer.endObject()
        } else {
            writer.null()
        }
        writer.key("seen")
        if case .comment(let input) = item.decode() {
            let comment = input.comment
            writer.beginObject()
            writer.field("body", comment[.body].flatMap { bodyKey(TextNormalizer.normalize($0).text) })
            writer.stringArray("authors", BatchSignalTracker.authorIdentities(comment).map {
                BatchSignalInputs.stableKey(["name", "email", "ip"][$0.kind] + "\u{0}" + $0.text)
            })
            writer.key("seconds")
            if let seconds = comment[.date].flatMap(CommentDate.seconds(from:)) { writer.number(seconds) } else { writer.null() }
            writer.endObject()
        } else {
            writer.null()
        }
        writer.field("burst_window", burstWindowSeconds)
        writer.endObject()
        return writer.bytes + [0x0A]
    }

    /// The stable key of a normalised body, or nil when it is too short to count as a copy
    /// (the same test as `BodyCopyCounts.key(ofNormalizedBody:)`).
    static func bodyKey(_ normalizedBody: String) -> String? {
        BodyCopyCounts.key(ofNormalizedBody: normalizedBody) == nil ? nil : BatchSignalInputs.stableKey(normalizedBody)
    }
}

/// Reads JSON lines that carry their batch signals in the reserved field (`BatchSignalInputs`),
/// and gives each comment as it was before the field was appended, with the signals beside it
/// (`InputComment.givenBatchSignals`). A comment without the field, or with a malformed one,
/// is a record that is not a comment: the outside engine missed it, and counting it here
/// would give a decision the whole input would not.
public final class GivenBatchSignalsReader: CommentReader {
    private let inner: CommentReader

    public init(_ inner: CommentReader) { self.inner = inner }

    public var file: InputFile? { inner.file }
    public var unterminatedBytesLeft: Int { inner.unterminatedBytesLeft }

    public func next() throws -> InputItem? {
        guard let item = try inner.nextUndecoded() else { return nil }
        guard case .jsonLine(let line, let source, let lineNumber) = item else {
            if case .decoded(.comment(let input)) = item {
                return .error(InputError(source: input.source, line: input.line,
                                         reason: "batch signals can be given only in JSON lines", raw: input.originalJSON))
            }
            return item.decode()
        }
        let split: (original: [UInt8], signals: BatchSignals)?
        do { split = try BatchSignalInputs.split(line) } catch {
            return .error(InputError(source: source, line: lineNumber,
                                     reason: "its \(BatchSignalInputs.fieldName) field is not {\"same_body\": N, \"author_burst\": M} with whole numbers of at least 1",
                                     raw: line))
        }
        guard let split else {
            let decoded = ReadItem.jsonLine(line: line, source: source, lineNumber: lineNumber).decode()
            guard case .comment = decoded else { return decoded }
            return .error(InputError(source: source, line: lineNumber,
                                     reason: "it has no \(BatchSignalInputs.fieldName) field at its end, and batch signals were to be given by the input",
                                     raw: line))
        }
        var decoded = ReadItem.jsonLine(line: split.original, source: source, lineNumber: lineNumber).decode()
        if case .comment(var input) = decoded {
            input.givenBatchSignals = split.signals
            decoded = .comment(input)
        }
        return decoded
    }
}
