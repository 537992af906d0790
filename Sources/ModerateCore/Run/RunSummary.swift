import Dispatch
import Foundation
import Synchronization

/// What a run did, for the one-line summary and `--summary-json`.
public struct RunSummary: Sendable, Equatable {
    public var counts: [Action: Int] = [:]
    /// Input records that were not comments (now in errors.jsonl).
    public var errors = 0
    /// Records already in a queue (from an earlier run, or earlier in this one): skipped.
    public var alreadyQueued = 0
    public var files = 0
    public var elapsedSeconds = 0.0

    /// Comments moderated in this run.
    public var comments: Int { counts.values.reduce(0, +) }
    public var commentsPerSecond: Double { elapsedSeconds > 0 ? Double(comments) / elapsedSeconds : 0 }

    public init() {}

    /// `24 comments from 1 file: 14 approve, 3 hold, 7 reject, 0 errors, 0 already queued; 0.01 s, 2400 comments/s`
    public var line: String {
        let queues = Action.allCases.map { "\(counts[$0, default: 0]) \($0.rawValue)" }.joined(separator: ", ")
        let errorText = errors == 1 ? "1 error" : "\(errors) errors"
        let fileText = files == 1 ? "1 file" : "\(files) files"
        return "\(comments) comments from \(fileText): \(queues), \(errorText), \(alreadyQueued) already queued; "
            + String(format: "%.2f s, %.0f comments/s", elapsedSeconds, commentsPerSecond)
    }
}
