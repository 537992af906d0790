import Crypto
import Foundation
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// How a rules directory is read: which files it may name, and how large they may be.
public struct RuleLoadOptions: Sendable, Equatable {
    /// A rule file larger than this is refused. The largest shipped rule file is 18 KB, and
    /// a hand-written one of 1 MiB holds several thousand rules; anything bigger is
    /// generated, and should be split into several files (or its phrases moved to a list).
    public static let defaultMaxRuleFileBytes = 1 << 20
    /// A list file larger than this is refused: room for about a million domains or phrases
    /// (a large public domain block list), while still bounding what a typo such as
    /// `list: /var/log/syslog` can make the loader read and compile.
    public static let defaultMaxListFileBytes = 16 << 20

    /// Let `list:` and `links.allowed_domains` name files outside the rules directory
    /// (absolute paths, `../`, or links that lead out of it), and rule files be links to
    /// files outside it. Off by default: rules are often edited by more people than may read
    /// every file of the machine `moderate run` runs on (as root, from cron), and
    /// `moderate lint --literals` prints what a list holds. The CLI's
    /// `--allow-files-outside-rules`.
    public var allowFilesOutsideRules: Bool
    public var maxRuleFileBytes: Int
    public var maxListFileBytes: Int

    public init(allowFilesOutsideRules: Bool = false,
                maxRuleFileBytes: Int = RuleLoadOptions.defaultMaxRuleFileBytes,
                maxListFileBytes: Int = RuleLoadOptions.defaultMaxListFileBytes) {
        self.allowFilesOutsideRules = allowFilesOutsideRules
        self.maxRuleFileBytes = maxRuleFileBytes
        self.maxListFileBytes = maxListFileBytes
    }
}

/// Why a file of the rules directory was not read: the message of a rule error, placed by
/// the caller (at the start of a rule file, or at the path value that named a list).
struct RuleFileRefusal: Error {
    var message: String
    /// Set when `allowFilesOutsideRules` would have let the file be read.
    var remedy: RuleProblem.Remedy? = nil
}

/// The file side of loading: which files there are, their text, and a hash of all that was read.
/// Every file is read through `read`, which keeps it inside the rules directory and under
/// its size limit.
final class RuleFiles {
    enum Kind {
        /// pipeline.yaml or a rule file, found by walking the directory.
        case rules
        /// A file a rule file or pipeline.yaml names by its path (`list:`, `allowed_domains:`).
        case list
    }

    let directory: String
    let options: RuleLoadOptions
    /// Every file read, by path relative to the rules directory, for the fingerprint.
    private var contents: [String: Data] = [:]
    /// The rules directory with every link in its path resolved; a file is inside the rules
    /// directory when its own resolved path starts with this one (nil: the directory does not exist).
    private lazy var resolvedDirectory: String? = resolvedPath(directory)

    init(directory: String, options: RuleLoadOptions) {
        self.directory = directory
        self.options = options
    }

    /// A rule file (or pipeline.yaml) by its path, with any refusal as a problem at its start.
    func read(_ path: String, problems: inout [RuleProblem]) -> String? {
        switch read(path, kind: .rules, shownAs: path) {
        case .success(let text): return text
        case .failure(let refusal):
            problems.append(RuleProblem(SourceLocation(file: path, line: 1, column: 1), .error, refusal.message,
                                        remedy: refusal.remedy))
            return nil
        }
    }

    /// A list by the path a rule wrote (relative to the rules directory); the caller places
    /// the refusal at that path in the rule file.
    func readList(_ writtenPath: String) -> Result<String, RuleFileRefusal> {
        let path = writtenPath.hasPrefix("/") ? writtenPath : (directory as NSString).appendingPathComponent(writtenPath)
        return read(path, kind: .list, shownAs: writtenPath)
    }

    private func read(_ path: String, kind: Kind, shownAs name: String) -> Result<String, RuleFileRefusal> {
        let what = kind == .rules ? "file" : "list file '\(name)'"
        guard let resolved = resolvedPath(path) else {
            return .failure(RuleFileRefusal(message: kind == .rules ? "cannot read file"
                : "cannot read list file '\(name)' (paths are relative to the rules directory)"))
        }
        if !options.allowFilesOutsideRules {
            if kind == .list && name.hasPrefix("/") {
                return .failure(RuleFileRefusal(message: "list file '\(name)' is an absolute path; lists must be inside "
                    + "the rules directory (write the path relative to it)", remedy: .allowFilesOutsideRules))
            }
            // Checked on the resolved paths, so neither `../` nor a link (a list, or a folder
            // on its way, pointing elsewhere) can lead outside.
            if let root = resolvedDirectory, resolved != root, !resolved.hasPrefix(root == "/" ? "/" : root + "/") {
                return .failure(RuleFileRefusal(message: "\(what) is outside the rules directory (it resolves to "
                    + "'\(resolved)')", remedy: .allowFilesOutsideRules))
            }
        }
        let limit = kind == .rules ? options.maxRuleFileBytes : options.maxListFileBytes
        // The resolved path is read, so what was checked is what is opened (short of a
        // folder on the way being swapped in between, which needs write access to the rules).
        let data: Data
        switch Self.contents(of: resolved, limit: limit) {
        case .success(let bytes): data = bytes
        case .failure(.tooLarge):
            let kindName = kind == .rules ? "rule file" : "list file"
            return .failure(RuleFileRefusal(message: "\(what) is larger than the limit of \(Self.describe(bytes: limit)) "
                + "for a \(kindName); split it into smaller files"))
        case .failure(.notRegular):
            return .failure(RuleFileRefusal(message: "\(what) is not a regular file"))
        case .failure(.system(let code)):
            return .failure(RuleFileRefusal(message: "cannot read \(what): \(String(cString: strerror(code)))"))
        }
        guard let text = String(validating: data, as: UTF8.self) else {
            return .failure(RuleFileRefusal(message: "\(what) is not valid UTF-8"))
        }
        contents[relative(path)] = data
        return .success(text)
    }

    enum ReadFailure: Error {
        case tooLarge
        case notRegular
        case system(Int32)
    }

    /// The file's bytes, reading at most `limit + 1` of them: one byte past the limit is
    /// enough to know it is too large, and a huge file (or /dev/zero) costs no more than that.
    /// Only regular files: a FIFO or a device could block or never end.
    static func contents(of path: String, limit: Int) -> Result<Data, ReadFailure> {
        // O_NONBLOCK so that opening a FIFO does not wait for a writer; it changes nothing for a regular file.
        let descriptor = open(path, O_RDONLY | O_CLOEXEC | O_NONBLOCK)
        guard descriptor >= 0 else { return .failure(.system(errno)) }
        defer { close(descriptor) }
        var status = stat()
        guard fstat(descriptor, &status) == 0 else { return .failure(.system(errno)) }
        guard status.st_mode & S_IFMT == S_IFREG else { return .failure(.notRegular) }
        if status.st_size > off_t(limit) { return .failure(.tooLarge) }
        // The size can change while it is read, so the reading itself stops at limit + 1 too.
        var data = Data()
        data.reserveCapacity(min(Int(status.st_size), limit) + 1)
        var chunk = [UInt8](repeating: 0, count: 64 << 10)
        while data.count <= limit {
            let wanted = min(chunk.count, limit + 1 - data.count)
            let result = chunk.withUnsafeMutableBytes { Glibc.read(descriptor, $0.baseAddress!, wanted) }
            if result < 0 {
                if errno == EINTR { continue }
                return .failure(.system(errno))
            }
            if result == 0 { break }
            data.append(contentsOf: chunk[..<result])
        }
        if data.count > limit { return .failure(.tooLarge) }
        return .success(data)
    }

    /// `1 MiB (1048576 bytes)`, or just the bytes when they are not a whole number of KiB/MiB.
    static func describe(bytes: Int) -> String {
        if bytes >= 1 << 20 && bytes % (1 << 20) == 0 { return "\(bytes >> 20) MiB (\(bytes) bytes)" }
        if bytes >= 1 << 10 && bytes % (1 << 10) == 0 { return "\(bytes >> 10) KiB (\(bytes) bytes)" }
        return "\(bytes) bytes"
    }

    func ruleFilePaths(problems: inout [RuleProblem]) -> [String] {
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: directory, isDirectory: &isDirectory), isDirectory.boolValue,
              let enumerator = FileManager.default.enumerator(atPath: directory) else {
            problems.append(RuleProblem(SourceLocation(file: directory, line: 1, column: 1), .error,
                                        "rules directory not found"))
            return []
        }
        var paths: [String] = []
        for case let relativePath as String in enumerator {
            let components = relativePath.split(separator: "/")
            guard relativePath.hasSuffix(".yaml") || relativePath.hasSuffix(".yml"),
                  relativePath != RuleLoader.pipelineFileName,
                  components.first.map(String.init) != RuleLoader.casesFolderName,
                  !components.contains(where: { $0.hasPrefix(".") }) else { continue }
            paths.append((directory as NSString).appendingPathComponent(relativePath))
        }
        return paths.sorted()
    }

    func fingerprint() -> String {
        var hasher = SHA256()
        for (path, data) in contents.sorted(by: { $0.key < $1.key }) {
            hasher.update(data: Array("\(path)\u{0}\(data.count)\u{0}".utf8))
            hasher.update(data: data)
        }
        return "sha256:" + hexString(hasher.finalize()).prefix(16)
    }

    private func relative(_ path: String) -> String {
        let prefix = directory.hasSuffix("/") ? directory : directory + "/"
        return path.hasPrefix(prefix) ? String(path.dropFirst(prefix.count)) : path
    }
}

/// The path with every `.`, `..` and link resolved (realpath(3)), or nil if it does not exist.
func resolvedPath(_ path: String) -> String? {
    guard let resolved = realpath(path, nil) else { return nil }
    defer { free(resolved) }
    return String(cString: resolved)
}
