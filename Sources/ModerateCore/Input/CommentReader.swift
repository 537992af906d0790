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

    /// The bytes of the record as read: what a chunk of records is bounded by (`ChunkBound`).
    public var byteCount: Int {
        switch self {
        case .jsonLine(let line, _, _): return line.count
        case .decoded(.comment(let input)): return input.originalJSON.count
        case .decoded(.error(let error)): return error.raw.count
        }
    }

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
    /// After the last item: bytes of an unterminated last line left for the next run, because
    /// a writer may still be writing it (README, "A growing export"); 0 for most readers.
    var unterminatedBytesLeft: Int { get }
}

extension CommentReader {
    public var file: InputFile? { nil }
    public var unterminatedBytesLeft: Int { 0 }
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
    /// A JSON array of comment objects, as WP-CLI prints them (`wp comment list --format=json`).
    case json
}

/// How to read an input beyond its format.
public struct ReadOptions: Sendable {
    /// CSV only: the column each field is read from (`--map body=CONTENT,...`).
    public var columnMap: [CommentField: String]
    /// The longest record read: a JSON line, a CSV row, an XML comment element
    /// (`--max-record-bytes`, README "Security"). A longer one goes to errors.jsonl, cut to its
    /// start, and is never held whole in memory.
    public var maxRecordBytes: Int
    /// How a person raises the record limit, named in the reason of every record over it so that
    /// whoever reads errors.jsonl knows what to change. The CLI passes its flag,
    /// `--max-record-bytes`; the engine knows no flags (nil: the reason names no setting).
    public var recordLimitSetting: String?

    public static let defaultMaxRecordBytes = 16 << 20

    public init(columnMap: [CommentField: String] = [:], maxRecordBytes: Int = ReadOptions.defaultMaxRecordBytes,
                recordLimitSetting: String? = nil) {
        self.columnMap = columnMap
        self.maxRecordBytes = maxRecordBytes
        self.recordLimitSetting = recordLimitSetting
    }

    /// "the record limit of N bytes (SETTING)": how every reader's reason names the limit.
    static func recordLimitPhrase(_ bytes: Int, setting: String?) -> String {
        "the record limit of \(bytes) bytes" + (setting.map { " (\($0))" } ?? "")
    }
}
