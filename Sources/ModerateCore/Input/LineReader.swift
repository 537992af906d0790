#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Streams a file line by line in fixed-size chunks, so memory does not grow with the file.
/// Lines end at `\n`; a `\r` before it is dropped. The last line need not end with `\n`.
///
/// A line longer than `maxLineBytes` is never held whole: `nextLine()` returns its first
/// `keptBytes` bytes, sets `oversizedLineBytes` to its full length, and reads past the rest
/// without keeping it, so one hostile line costs at most `maxLineBytes` of memory.
final class LineReader {
    public let file: InputFile
    /// The longest line held whole (README, "Security"); 16 MiB unless told otherwise.
    public let maxLineBytes: Int
    /// How much of an over-long line `nextLine()` returns (for errors.jsonl).
    public let keptBytes: Int
    /// Set after `nextLine()` returned the start of a line longer than `maxLineBytes`: the
    /// line's full length in bytes. Nil after a line returned whole.
    public private(set) var oversizedLineBytes: Int?
    private var buffer: [UInt8] = []
    private var start = 0
    private var reachedEnd = false
    /// Read buffer, reused for every read.
    private var chunk = [UInt8](repeating: 0, count: 1 << 20)
    public private(set) var lineNumber = 0
    /// True after `nextLine()` returned the file's last line and it had no `\n`: maybe a line
    /// a writer has not finished yet (README, "A growing export").
    public private(set) var lastLineUnterminated = false

    public static let defaultMaxLineBytes = 16 << 20

    public convenience init(_ source: InputSource, maxLineBytes: Int = LineReader.defaultMaxLineBytes) throws {
        self.init(try InputFile(source), maxLineBytes: maxLineBytes)
    }

    public init(_ file: InputFile, maxLineBytes: Int = LineReader.defaultMaxLineBytes, keptBytes: Int = 64 << 10) {
        self.file = file
        self.maxLineBytes = max(1, maxLineBytes)
        self.keptBytes = max(0, min(keptBytes, self.maxLineBytes))
    }

    /// The next line without its line break, or nil at the end of the input. For a line over
    /// `maxLineBytes`, only its first `keptBytes` (see `oversizedLineBytes`).
    public func nextLine() throws -> [UInt8]? {
        oversizedLineBytes = nil
        while true {
            if let newline = indexOfNewline() {
                var end = newline
                if end > start && buffer[end - 1] == 0x0D { end -= 1 }
                if end - start > maxLineBytes {
                    // Found whole in the last chunk read, but still too long to pass on.
                    let kept = Array(buffer[start..<(start + keptBytes)])
                    oversizedLineBytes = end - start
                    start = newline + 1
                    lineNumber += 1
                    return kept
                }
                let line = Array(buffer[start..<end])
                start = newline + 1
                lineNumber += 1
                return line
            }
            if buffer.count - start > maxLineBytes { return try skipOversizedLine() }
            if reachedEnd {
                guard start < buffer.count else { return nil }
                let line = Array(buffer[start...])
                start = buffer.count
                lineNumber += 1
                lastLineUnterminated = true
                return line
            }
            try fill()
        }
    }

    /// The unread part of the buffer holds more than `maxLineBytes` and no line break: keep
    /// its first `keptBytes`, then read and drop chunks until the line ends.
    private func skipOversizedLine() throws -> [UInt8] {
        let kept = Array(buffer[start..<(start + keptBytes)])
        var length = buffer.count - start
        buffer.removeAll(keepingCapacity: false)
        start = 0
        lineNumber += 1
        while !reachedEnd {
            let count = try chunk.withUnsafeMutableBytes { try file.read(into: $0) }
            if count == 0 { reachedEnd = true; break }
            let found = chunk.withUnsafeBytes { bytes -> Int? in
                memchr(bytes.baseAddress!, 0x0A, count).map { bytes.baseAddress!.distance(to: UnsafeRawPointer($0)) }
            }
            if let newline = found {
                length += newline
                buffer.append(contentsOf: chunk[(newline + 1)..<count])
                break
            }
            length += count
        }
        oversizedLineBytes = length
        return kept
    }

    /// memchr: the line search is the reader's hot loop.
    private func indexOfNewline() -> Int? {
        buffer.withUnsafeBytes { bytes -> Int? in
            guard start < bytes.count,
                  let found = memchr(bytes.baseAddress! + start, 0x0A, bytes.count - start) else { return nil }
            return bytes.baseAddress!.distance(to: UnsafeRawPointer(found))
        }
    }

    private func fill() throws {
        // Drop what was already returned, then read another chunk behind the unread part.
        if start > 0 {
            buffer.removeSubrange(0..<start)
            start = 0
        }
        let count = try chunk.withUnsafeMutableBytes { try file.read(into: $0) }
        if count == 0 { reachedEnd = true }
        buffer.append(contentsOf: chunk[0..<count])
    }
}
