/// One item read from an export: a comment to moderate, or input that is not one.
public enum InputItem: Sendable {
    case comment(InputComment)
    case error(InputError)
}

/// An item as read, maybe not decoded yet: decoding a JSON line is most of the work of reading
/// it, so `BatchRunner` reads lines on one thread and decodes them on its workers.
public enum ReadItem: Sendable {
    case decoded(InputItem)
    case jsonLine(line: [UInt8], source: String, lineNumber: Int)

    public func decode() -> InputItem {
        switch self {
        case .decoded(let item):
            return item
        case .jsonLine(let line, let source, let lineNumber):
            switch JSONLineDecoder.decode(line, source: source, lineNumber: lineNumber) {
            case .success(let input): return .comment(input)
            case .failure(let error): return .error(error)
            }
        }
    }
}

/// A stream of comments from one export. Readers stream: memory does not grow with the
/// input. `next()` throws only when the input itself cannot be read (an I/O error); a record
/// that is not a comment comes back as `.error` and reading goes on after it.
public protocol CommentReader: AnyObject {
    func next() throws -> InputItem?
    /// The next item, its decoding maybe left to the caller (`ReadItem.decode()`, on any thread).
    func nextUndecoded() throws -> ReadItem?
    /// The input being read, for progress reports; nil when the reader does not know it.
    var file: InputFile? { get }
}

extension CommentReader {
    public var file: InputFile? { nil }
    public func nextUndecoded() throws -> ReadItem? { try next().map(ReadItem.decoded) }
}

/// The export formats `moderate` reads.
public enum InputFormat: String, CaseIterable, Sendable {
    /// JSON lines in moderate's own schema.
    case jsonl
    /// CSV with a header row; columns map to fields by name or by `ReadOptions.columnMap`.
    case csv
    /// WordPress's export (WXR, Tools > Export).
    case wxr
    /// Disqus's XML export.
    case disqus
}

/// How to read an input beyond its format.
public struct ReadOptions: Sendable {
    /// CSV only: the column each field is read from (`--map body=CONTENT,...`).
    public var columnMap: [CommentField: String]
    /// The longest record read: a JSON line, a CSV row, an XML comment element
    /// (`--max-record-bytes`, README "Security"). A longer one goes to errors.jsonl, cut to its
    /// start, and is never held whole in memory.
    public var maxRecordBytes: Int

    public static let defaultMaxRecordBytes = 16 << 20

    public init(columnMap: [CommentField: String] = [:], maxRecordBytes: Int = ReadOptions.defaultMaxRecordBytes) {
        self.columnMap = columnMap
        self.maxRecordBytes = maxRecordBytes
    }
}

/// Opens the right reader for an input.
public enum CommentReaders {
    /// Opens `source` (plain or gzip) and reads it as `format`, or as the format its name
    /// and first bytes show when `format` is nil.
    public static func open(_ source: InputSource, format: InputFormat? = nil, options: ReadOptions = ReadOptions()) throws -> CommentReader {
        let file = try InputFile(source)
        let chosen = try format ?? detectFormat(file)
        let reader: CommentReader
        let maxBytes = options.maxRecordBytes
        switch chosen {
        case .jsonl: reader = JSONLinesReader(lines: LineReader(file, maxLineBytes: maxBytes), sourceName: source.displayName)
        case .csv: reader = try CSVReader(lines: LineReader(file, maxLineBytes: maxBytes), sourceName: source.displayName,
                                          columnMap: options.columnMap, maxRowBytes: maxBytes)
        case .wxr: reader = WXRReader(file: file, maxCommentBytes: maxBytes)
        case .disqus: reader = DisqusReader(file: file, maxCommentBytes: maxBytes)
        }
        return EndCheckedReader(reader, file: file)
    }

    /// The format of an input, from its name (without `.gz`) and, failing that, its first bytes.
    public static func detectFormat(_ file: InputFile) throws -> InputFormat {
        var name = file.source.isStandardInput ? "" : file.source.path.lowercased()
        if name.hasSuffix(".gz") { name.removeLast(3) }
        if name.hasSuffix(".csv") { return .csv }
        if name.hasSuffix(".jsonl") || name.hasSuffix(".ndjson") { return .jsonl }

        var head = try file.peek(8192)
        if head.starts(with: [0xEF, 0xBB, 0xBF]) { head.removeFirst(3) }
        guard let first = head.first(where: { ![0x20, 0x09, 0x0A, 0x0D].contains($0) }) else { return .jsonl }
        if first == UInt8(ascii: "<") {
            let text = String(decoding: head, as: UTF8.self)
            if text.contains("<disqus") { return .disqus }
            if text.contains("<rss") || text.contains("wordpress.org/export") { return .wxr }
            throw InputReadError(source: file.source.displayName,
                                 message: "XML that is neither a WordPress (WXR) nor a Disqus export; name the format with --format")
        }
        if first == UInt8(ascii: "[") {
            throw InputReadError(source: file.source.displayName,
                                 message: "a JSON array; moderate reads JSON lines, one comment object per line (jq -c '.[]' converts)")
        }
        // JSON lines start with an object; a header row of column names does not.
        return first == UInt8(ascii: "{") ? .jsonl : .csv
    }
}

/// Reports, after a reader's last comment, an input that ended badly (a truncated gzip
/// file): the comments before it were moderated, and the run must still say input was lost.
final class EndCheckedReader: CommentReader {
    private let reader: CommentReader
    let file: InputFile?
    private var done = false

    init(_ reader: CommentReader, file: InputFile) {
        self.reader = reader
        self.file = file
    }

    func next() throws -> InputItem? {
        if let item = try reader.next() { return item }
        return endProblem()
    }

    func nextUndecoded() throws -> ReadItem? {
        if let item = try reader.nextUndecoded() { return item }
        return endProblem().map(ReadItem.decoded)
    }

    private func endProblem() -> InputItem? {
        guard !done, let file, let problem = file.endProblem else { return nil }
        done = true
        return .error(InputError(source: file.source.displayName, line: 0,
                                 reason: "\(problem), after \(file.bytesRead) uncompressed bytes; everything before was read",
                                 raw: []))
    }
}

/// JSON lines: one comment object per line (README, "Input").
public final class JSONLinesReader: CommentReader {
    private let lines: LineReader
    private let sourceName: String
    public var file: InputFile? { lines.file }

    public init(lines: LineReader, sourceName: String) {
        self.lines = lines
        self.sourceName = sourceName
    }

    public func next() throws -> InputItem? { try nextUndecoded()?.decode() }

    public func nextUndecoded() throws -> ReadItem? {
        while var line = try lines.nextLine() {
            if let length = lines.oversizedLineBytes {
                return .decoded(.error(InputError(source: sourceName, line: lines.lineNumber,
                                         reason: "line of \(length) bytes is longer than the record limit of \(lines.maxLineBytes) bytes (--max-record-bytes): only its first \(line.count) bytes are kept here, and it is not moderated",
                                         raw: line)))
            }
            if lines.lineNumber == 1 && line.starts(with: [0xEF, 0xBB, 0xBF]) { line.removeFirst(3) }
            if line.allSatisfy({ $0 == 0x20 || $0 == 0x09 }) { continue }
            return .jsonLine(line: line, source: sourceName, lineNumber: lines.lineNumber)
        }
        return nil
    }
}
