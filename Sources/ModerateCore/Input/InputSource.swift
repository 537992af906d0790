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
        /// A device that is not an export (`/dev/zero` never ends): "a character device".
        case notAFileOrPipe(kind: String)
        /// The CSV header row (on `line`) cannot be read, for the reason given; without it no
        /// row can be, so the file is refused rather than read wrong or skipped.
        case unreadableHeader(line: Int, why: String)
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
            return "\(source): the column map gives \(field.rawValue) from '\(column)', but there is no such column; the columns are \(Self.list(columns))"
        case .noBodyColumn(let columns):
            return "\(source): no column gives the comment's body (the columns are \(Self.list(columns)))"
        case .unknownXMLExport: return "\(source): XML that is neither a WordPress (WXR) nor a Disqus export"
        case .jsonArray: return "\(source): a JSON array; moderate reads JSON lines, one comment object per line"
        case .notAFileOrPipe(let kind):
            return "\(source): \(kind), not a file, a pipe or a terminal: it is not read"
        case .unreadableHeader(let line, let why):
            return "\(source):\(line): the CSV header row cannot be read (\(why)); no row can be read without it, so the file is not read"
        }
    }

    /// Column names for a message, bounded: a header is input too, and a "header" of 100 KB
    /// of NUL bytes was printed whole. At most 20 names of at most 40 characters, control
    /// characters shown as `\u{…}`.
    public static func list(_ columns: [String]) -> String {
        func shown(_ name: String) -> String {
            var text = ""
            for scalar in name.unicodeScalars.prefix(40) {
                text += scalar.value < 0x20 || scalar.value == 0x7F ? "\\u{\(String(scalar.value, radix: 16))}" : String(scalar)
            }
            return name.unicodeScalars.count > 40 ? text + "…" : text
        }
        let names = columns.prefix(20).map(shown).joined(separator: ", ")
        return columns.count > 20 ? names + " and \(columns.count - 20) more" : names
    }
}
