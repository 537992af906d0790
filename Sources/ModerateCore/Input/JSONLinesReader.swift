/// JSON lines: one comment object per line (README, "Input").
final class JSONLinesReader: CommentReader {
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
