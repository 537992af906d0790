import Foundation

/// A comment as read from an export: the engine's view of it, plus the original record to
/// write back unchanged into its queue.
public struct InputComment: Sendable {
    public var comment: Comment
    /// Where it was read: the input's name and the line (from 1) the record starts on.
    public var source: String
    public var line: Int
    /// The original JSON object's bytes (repaired if they were not valid UTF-8).
    public var originalJSON: [UInt8]
    /// Set when the input had to be changed to be read, e.g. invalid UTF-8 replaced.
    public var repair: String?
    /// Copies and bursts an outside engine counted over the whole input, when the record
    /// carried them (`GivenBatchSignalsReader`): used instead of counting them here.
    public var givenBatchSignals: BatchSignals?

    public init(comment: Comment, source: String, line: Int, originalJSON: [UInt8], repair: String? = nil) {
        self.comment = comment
        self.source = source
        self.line = line
        self.originalJSON = originalJSON
        self.repair = repair
    }
}

/// Input that could not be read as a comment. It goes to errors.jsonl, whole, with its place.
public struct InputError: Error, Sendable, Equatable {
    public var source: String
    /// Line number in the source file, from 1.
    public var line: Int
    public var reason: String
    public var raw: [UInt8]

    public init(source: String, line: Int, reason: String, raw: [UInt8]) {
        self.source = source
        self.line = line
        self.reason = reason
        self.raw = raw
    }
}
