/// One item read from an export: a comment to moderate, or input that is not one.
public enum InputItem: Sendable {
    case comment(InputComment)
    case error(InputError)
}

/// A stream of comments from one export. Readers stream: memory does not grow with the
/// input. `next()` throws only when the input itself cannot be read (an I/O error); a record
/// that is not a comment comes back as `.error` and reading goes on after it.
public protocol CommentReader: AnyObject {
    func next() throws -> InputItem?
}

/// The export formats `moderate` reads.
public enum InputFormat: String, CaseIterable, Sendable {
    case jsonl
}

/// Opens the right reader for an input.
public enum CommentReaders {
    public static func open(_ source: InputSource, format: InputFormat = .jsonl) throws -> CommentReader {
        switch format {
        case .jsonl:
            return JSONLinesReader(lines: try LineReader(source), sourceName: source.displayName)
        }
    }
}

/// JSON lines: one comment object per line (README, "Input").
public final class JSONLinesReader: CommentReader {
    private let lines: LineReader
    private let sourceName: String

    public init(lines: LineReader, sourceName: String) {
        self.lines = lines
        self.sourceName = sourceName
    }

    public func next() throws -> InputItem? {
        while var line = try lines.nextLine() {
            if lines.lineNumber == 1 && line.starts(with: [0xEF, 0xBB, 0xBF]) { line.removeFirst(3) }
            if line.allSatisfy({ $0 == 0x20 || $0 == 0x09 }) { continue }
            switch JSONLineDecoder.decode(line, source: sourceName, lineNumber: lines.lineNumber) {
            case .success(let input): return .comment(input)
            case .failure(let error): return .error(error)
            }
        }
        return nil
    }
}
