#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Where comments come from: a file, or standard input (`-`).
public struct InputSource: Sendable, Equatable {
    public var path: String
    public var isStandardInput: Bool { path == "-" }
    /// The name used in errors.jsonl and messages.
    public var displayName: String { isStandardInput ? "<stdin>" : path }

    public init(path: String) { self.path = path }
}

public struct InputReadError: Error, CustomStringConvertible {
    public var source: String
    public var message: String
    public var description: String { "\(source): \(message)" }
}

/// Streams a file line by line in fixed-size chunks, so memory does not grow with the file.
/// Lines end at `\n`; a `\r` before it is dropped. The last line need not end with `\n`.
public final class LineReader {
    public let file: InputFile
    private var buffer: [UInt8] = []
    private var start = 0
    private var reachedEnd = false
    /// Read buffer, reused for every read.
    private var chunk = [UInt8](repeating: 0, count: 1 << 20)
    public private(set) var lineNumber = 0

    public convenience init(_ source: InputSource) throws {
        self.init(try InputFile(source))
    }

    public init(_ file: InputFile) {
        self.file = file
    }

    /// The next line without its line break, or nil at the end of the input.
    public func nextLine() throws -> [UInt8]? {
        while true {
            if let newline = indexOfNewline() {
                var end = newline
                if end > start && buffer[end - 1] == 0x0D { end -= 1 }
                let line = Array(buffer[start..<end])
                start = newline + 1
                lineNumber += 1
                return line
            }
            if reachedEnd {
                guard start < buffer.count else { return nil }
                let line = Array(buffer[start...])
                start = buffer.count
                lineNumber += 1
                return line
            }
            try fill()
        }
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
