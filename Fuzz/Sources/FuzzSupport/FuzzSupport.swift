#if canImport(Glibc)
import Glibc
#endif
import ModerateCore

/// What every fuzz target shares: the input written to a scratch file (readers read files,
/// plain or gzip), and a reader drained to its end.
public enum Fuzz {
    /// A scratch directory of this process, made once.
    public static let directory: String = {
        var template = Array("/tmp/moderate-fuzz-XXXXXX".utf8CString)
        let made = template.withUnsafeMutableBufferPointer { mkdtemp($0.baseAddress!) }
        precondition(made != nil, "cannot make a scratch directory")
        return template.withUnsafeBufferPointer { String(cString: $0.baseAddress!) }
    }()

    /// Writes `bytes` to `name` in the scratch directory and returns its path.
    @discardableResult
    public static func write(_ data: UnsafePointer<UInt8>?, _ size: Int, to name: String) -> String {
        let path = directory + "/" + name
        let descriptor = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0o600)
        precondition(descriptor >= 0, "cannot write \(path)")
        var written = 0
        while written < size, let data {
            let count = Glibc.write(descriptor, data + written, size - written)
            precondition(count > 0, "cannot write \(path)")
            written += count
        }
        close(descriptor)
        return path
    }

    /// Reads `path` as `format` to its end, with a small record limit so that long inputs
    /// reach the over-long-record paths too. Every comment is also decided, when rules are given.
    public static func drain(_ path: String, format: InputFormat, decider: Decider? = nil) {
        let options = ReadOptions(columnMap: [:], maxRecordBytes: 4096)
        guard let reader = try? CommentReaders.open(InputSource(path: path), format: format, options: options) else { return }
        var count = 0
        while count < 100_000, let item = try? reader.next() {
            count += 1
            switch item {
            case .comment(let input):
                _ = QueueRecord.encode(input, decide(input, decider))
            case .error(let error):
                _ = ErrorRecord.encode(error)
            }
        }
    }

    private static func decide(_ input: InputComment, _ decider: Decider?) -> Moderation {
        let decider = decider ?? defaultDecider
        return decider.decide(input.comment)
    }

    /// The shipped rules (found from the working directory, as scripts/fuzz runs them), or none.
    nonisolated(unsafe) public static let defaultDecider: Decider = {
        let result = RuleLoader.load(directory: rulesDirectory)
        let ruleSet = result.ruleSet ?? RuleSet(stages: [], thresholds: Thresholds(hold: 3, reject: 7), fingerprint: "none")
        return Decider(ruleSet: ruleSet)
    }()

    public static var rulesDirectory: String {
        if let dir = getenv("MODERATE_FUZZ_RULES") { return String(cString: dir) }
        return "rules"
    }
}

public typealias FuzzCallback = @convention(c) (UnsafePointer<UInt8>?, Int) -> Int32
public typealias Arguments = UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>

@_silgen_name("LLVMFuzzerRunDriver")
func LLVMFuzzerRunDriver(_ argc: UnsafeMutablePointer<Int32>, _ argv: UnsafeMutablePointer<Arguments?>,
                         _ callback: FuzzCallback) -> Int32

extension Fuzz {
    /// SwiftPM links an executable target with `main` set to `TARGET_main`, so each target
    /// defines that and hands over to libFuzzer's driver (libFuzzer's own `main` is then unused).
    public static func run(_ argc: Int32, _ argv: Arguments?, _ callback: FuzzCallback) -> Int32 {
        var argc = argc
        var argv = argv
        return LLVMFuzzerRunDriver(&argc, &argv, callback)
    }
}
