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

/// An input that cannot be read at all (as opposed to one bad record, which goes to
/// errors.jsonl). The engine says what is wrong in `reason`; the CLI words it with its own
/// flags (`--map`, `--format`), so the engine names no command-line syntax.
public struct InputReadError: Error, CustomStringConvertible {
    public enum Reason: Sendable, Equatable {
        /// The system's or zlib's message (`No such file or directory`).
        case system(String)
        case isDirectory
        /// The column map names a column the CSV header does not have.
        case missingColumn(field: CommentField, column: String, columns: [String])
        /// No column of the CSV header gives the comment's body, and none was named for it.
        case noBodyColumn(columns: [String])
        /// XML whose start is neither a WordPress (WXR) nor a Disqus export.
        case unknownXMLExport
        /// A JSON array rather than JSON lines.
        case jsonArray
    }

    public var source: String
    public var reason: Reason

    public init(source: String, reason: Reason) {
        self.source = source
        self.reason = reason
    }

    /// A system message as the reason.
    public init(source: String, message: String) {
        self.init(source: source, reason: .system(message))
    }

    /// The reason in the engine's words, for a library user; the CLI has its own.
    public var description: String {
        switch reason {
        case .system(let message): return "\(source): \(message)"
        case .isDirectory: return "\(source): is a directory"
        case .missingColumn(let field, let column, let columns):
            return "\(source): the column map gives \(field.rawValue) from '\(column)', but there is no such column; the columns are \(columns.joined(separator: ", "))"
        case .noBodyColumn(let columns):
            return "\(source): no column gives the comment's body (the columns are \(columns.joined(separator: ", ")))"
        case .unknownXMLExport: return "\(source): XML that is neither a WordPress (WXR) nor a Disqus export"
        case .jsonArray: return "\(source): a JSON array; moderate reads JSON lines, one comment object per line"
        }
    }
}
