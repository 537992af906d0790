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
