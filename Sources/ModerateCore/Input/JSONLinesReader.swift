import Foundation

/// JSON lines: one comment object per line (README, "Input").
final class JSONLinesReader: CommentReader {
    private let lines: LineReader
    private let sourceName: String
    /// How a person raises the record limit (`ReadOptions.recordLimitSetting`).
    private let limitSetting: String?
    public var file: InputFile? { lines.file }
    /// Bytes of an unterminated last line left unread for the next run (README, "A growing export").
    public private(set) var unterminatedBytesLeft = 0

    public init(lines: LineReader, sourceName: String, limitSetting: String? = nil) {
        self.lines = lines
        self.sourceName = sourceName
        self.limitSetting = limitSetting
    }

    public func next() throws -> InputItem? { try nextUndecoded()?.decode() }

    public func nextUndecoded() throws -> ReadItem? {
        while var line = try lines.nextLine() {
            if let length = lines.oversizedLineBytes {
                return .decoded(.error(InputError(source: sourceName, line: lines.lineNumber,
                                         reason: "line of \(length) bytes is longer than \(ReadOptions.recordLimitPhrase(lines.maxLineBytes, setting: limitSetting)): only its first \(line.count) bytes are kept here, and it is not moderated",
                                         raw: line)))
            }
            let length = line.count
            if lines.lineNumber == 1 && line.starts(with: [0xEF, 0xBB, 0xBF]) { line.removeFirst(3) }
            if line.allSatisfy({ $0 == 0x20 || $0 == 0x09 }) { continue }
            // JSON text never holds a NUL byte (not even in a string: control characters must
            // be escaped). A line of them is a file zeroed by a crash, or not text at all:
            // kept in errors.jsonl only as far as an over-long line is (each NUL is six bytes
            // there, `\u0000`).
            let nuls = line.reduce(0) { $0 + ($1 == 0 ? 1 : 0) }
            if nuls > 0 {
                let kept = min(line.count, lines.keptBytes)
                return .decoded(.error(InputError(source: sourceName, line: lines.lineNumber,
                                         reason: "line of \(line.count) bytes holds \(nuls) NUL bytes: binary data, not JSON (a file zeroed by a crash?); only its first \(kept) bytes are kept here, and it is not moderated",
                                         raw: Array(line.prefix(kept)))))
            }
            if lines.lastLineUnterminated {
                return lastLine(line, length: length)
            }
            return .jsonLine(line: line, source: sourceName, lineNumber: lines.lineNumber)
        }
        return nil
    }

    /// The file's last line had no line break. Many exporters omit the final one, so a line
    /// that is a whole comment is moderated. But a cron run over an export still being written
    /// (README, "A growing export") meets the writer's line half written: a line that starts an
    /// object and is not yet valid JSON, in a plain file that can still grow, is left for the
    /// next run (nil, with `unterminatedBytesLeft`), as log shippers do. Anything else (not an
    /// object, whole JSON that is not a comment, or a gzip file or pipe, which are complete
    /// when they end) is bad input as before.
    private func lastLine(_ line: [UInt8], length: Int) -> ReadItem? {
        let item = ReadItem.jsonLine(line: line, source: sourceName, lineNumber: lines.lineNumber).decode()
        guard case .error = item else { return .decoded(item) }
        let canGrow = lines.file.sizeOnDisk != nil && !lines.file.isCompressed
        let startsAnObject = line.first { $0 != 0x20 && $0 != 0x09 } == UInt8(ascii: "{")
        guard canGrow, startsAnObject, (try? JSONSerialization.jsonObject(with: Data(line), options: [.fragmentsAllowed])) == nil
        else { return .decoded(item) }
        unterminatedBytesLeft = length
        return nil
    }
}
