#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

public struct QueueWriteError: Error, CustomStringConvertible {
    public var path: String
    public var message: String
    public var description: String { "\(path): \(message)" }
}

/// The queue directory: approve.jsonl, hold.jsonl, reject.jsonl and errors.jsonl, appended
/// to, never rewritten. Files and directory are created readable by their owner only:
/// they hold people's emails and IP addresses.
public final class QueueWriter {
    public static let errorsFileName = "errors.jsonl"
    public let directory: String
    private var files: [String: QueueFile] = [:]

    public static func fileName(for decision: Action) -> String { "\(decision.rawValue).jsonl" }

    public init(directory: String) throws {
        self.directory = directory
        try Self.makeDirectory(directory)
        for name in Action.allCases.map(Self.fileName(for:)) + [Self.errorsFileName] {
            files[name] = try QueueFile(path: directory + "/" + name)
        }
    }

    public func append(_ line: [UInt8], to decision: Action) throws {
        try files[Self.fileName(for: decision)]!.append(line)
    }

    public func appendError(_ line: [UInt8]) throws {
        try files[Self.errorsFileName]!.append(line)
    }

    /// Writes everything buffered so far.
    public func flush() throws {
        for file in files.values { try file.flush() }
    }

    private static func makeDirectory(_ path: String) throws {
        var status = stat()
        if stat(path, &status) == 0 {
            guard (status.st_mode & S_IFMT) == S_IFDIR else {
                throw QueueWriteError(path: path, message: "exists and is not a directory")
            }
            return
        }
        let parent = path.split(separator: "/", omittingEmptySubsequences: false).dropLast().joined(separator: "/")
        if !parent.isEmpty && stat(parent, &status) != 0 { try makeDirectory(parent) }
        guard mkdir(path, 0o700) == 0 || errno == EEXIST else {
            throw QueueWriteError(path: path, message: String(cString: strerror(errno)))
        }
    }
}

/// One append-only queue file with a write buffer that is flushed in whole lines.
final class QueueFile {
    let path: String
    private let descriptor: Int32
    private var pending: [UInt8] = []
    private static let flushThreshold = 256 * 1024

    init(path: String) throws {
        self.path = path
        descriptor = open(path, O_WRONLY | O_APPEND | O_CREAT | O_CLOEXEC, 0o600)
        guard descriptor >= 0 else { throw QueueWriteError(path: path, message: String(cString: strerror(errno))) }
    }

    deinit { close(descriptor) }

    func append(_ line: [UInt8]) throws {
        pending.append(contentsOf: line)
        if pending.count >= Self.flushThreshold { try flush() }
    }

    func flush() throws {
        var written = 0
        while written < pending.count {
            let result = pending.withUnsafeBytes { write(descriptor, $0.baseAddress! + written, $0.count - written) }
            if result < 0 {
                if errno == EINTR { continue }
                let message = String(cString: strerror(errno))
                pending.removeSubrange(0..<written)
                throw QueueWriteError(path: path, message: message)
            }
            written += result
        }
        pending.removeAll(keepingCapacity: true)
    }
}
