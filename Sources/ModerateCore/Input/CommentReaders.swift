/// Opens the right reader for an input.
public enum CommentReaders {
    /// Opens `source` (plain or gzip) and reads it as `format`, or as the format its name
    /// and first bytes show when `format` is nil.
    public static func open(_ source: InputSource, format: InputFormat? = nil, options: ReadOptions = ReadOptions()) throws -> CommentReader {
        let file = try InputFile(source)
        let chosen = try format ?? detectFormat(file)
        let reader: CommentReader
        let maxBytes = options.maxRecordBytes
        let setting = options.recordLimitSetting
        switch chosen {
        case .jsonl: reader = JSONLinesReader(lines: LineReader(file, maxLineBytes: maxBytes), sourceName: source.displayName,
                                              limitSetting: setting)
        case .csv: reader = try CSVReader(lines: LineReader(file, maxLineBytes: maxBytes), sourceName: source.displayName,
                                          columnMap: options.columnMap, maxRowBytes: maxBytes, limitSetting: setting)
        case .wxr: reader = WXRReader(file: file, maxCommentBytes: maxBytes, limitSetting: setting)
        case .disqus: reader = DisqusReader(file: file, maxCommentBytes: maxBytes, limitSetting: setting)
        case .json: reader = JSONArrayReader(file: file, maxRecordBytes: maxBytes, limitSetting: setting)
        }
        return EndCheckedReader(reader, file: file)
    }

    /// The format of an input, from its name (without `.gz`) and, failing that, its first bytes.
    public static func detectFormat(_ file: InputFile) throws -> InputFormat {
        var name = file.source.isStandardInput ? "" : file.source.path.lowercased()
        if name.hasSuffix(".gz") { name.removeLast(3) }
        if name.hasSuffix(".csv") { return .csv }
        if name.hasSuffix(".jsonl") || name.hasSuffix(".ndjson") { return .jsonl }
        if name.hasSuffix(".json") { return .json }

        // Read only as far as the first bytes decide: a JSON line's `{` decides at once, an
        // XML export needs its root element, and at most 8 KiB is looked at.
        let limit = 8192
        var head: [UInt8] = []
        var ended = false
        while true {
            let complete = ended || head.count >= limit
            if let format = try format(ofHead: head, complete: complete, source: file.source) { return format }
            (head, ended) = try file.peekOnce(limit - head.count)
        }
    }

    /// The format the first bytes of an input show, or nil if more bytes are needed to tell
    /// (never nil when `complete`: all there is, or all that will be looked at).
    private static func format(ofHead bytes: [UInt8], complete: Bool, source: InputSource) throws -> InputFormat? {
        var head = bytes[...]
        if head.starts(with: [0xEF, 0xBB, 0xBF]) { head.removeFirst(3) }
        guard let first = head.first(where: { ![0x20, 0x09, 0x0A, 0x0D].contains($0) }) else {
            return complete ? .jsonl : nil
        }
        if first == UInt8(ascii: "<") {
            let text = String(decoding: head, as: UTF8.self)
            if text.contains("<disqus") { return .disqus }
            if text.contains("<rss") || text.contains("wordpress.org/export") { return .wxr }
            guard complete else { return nil }
            throw InputReadError(source: source.displayName, reason: .unknownXMLExport)
        }
        if first == UInt8(ascii: "[") { return .json }
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
    var unterminatedBytesLeft: Int { reader.unterminatedBytesLeft }

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
                                 raw: file.endRaw))
    }
}
