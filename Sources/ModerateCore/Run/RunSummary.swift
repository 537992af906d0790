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
    /// Bytes of unterminated last lines left for the next run (README, "A growing export"):
    /// not lost and not errors, so they do not change the exit code.
    public var unterminatedBytesLeft = 0
    public var elapsedSeconds = 0.0
    /// The run was asked to stop (`StopRequest`) before the end of its input: what it read is
    /// committed, the rest is for the next run.
    public var interrupted = false
    /// How copies were counted for `same_body`; nil when no rule counts copies.
    public var copies: CopyCounting?
    /// Seconds spent counting copies ahead, before the run (not in `elapsedSeconds`).
    public var copyCountSeconds: Double?

    /// Comments moderated in this run.
    public var comments: Int { counts.values.reduce(0, +) }
    public var commentsPerSecond: Double { elapsedSeconds > 0 ? Double(comments) / elapsedSeconds : 0 }

    public init() {}
}
