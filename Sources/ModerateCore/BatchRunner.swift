import Foundation

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

/// The pipeline over whole inputs: read each comment, skip it if it is already queued,
/// decide it, and commit the queue lines in batches (see `QueueStore`).
public final class BatchRunner {
    private let decider: BatchDecider
    private let store: QueueStore
    /// A batch is committed when it reaches this many records or bytes: small enough that
    /// little work is redone after a crash, large enough that syncing costs nothing.
    public var batchRecords = 5_000
    public var batchBytes = 4 << 20

    public init(ruleSet: RuleSet, store: QueueStore) {
        decider = BatchDecider(ruleSet: ruleSet, knownAuthors: store.knownAuthors)
        self.store = store
    }

    public func run(_ readers: [CommentReader]) throws -> RunSummary {
        var summary = RunSummary()
        let started = Date()
        var batch = QueueBatch()
        var keysInBatch = Set<RecordKey>()
        for reader in readers {
            summary.files += 1
            while let item = try reader.next() {
                let key: RecordKey
                switch item {
                case .comment(let input): key = .comment(id: input.comment.id)
                case .error(let error): key = .inputError(error)
                }
                guard !store.contains(key), keysInBatch.insert(key).inserted else {
                    summary.alreadyQueued += 1
                    continue
                }
                switch item {
                case .comment(let input):
                    let moderation = decider.decide(input.comment)
                    batch.add(QueueRecord.encode(input, moderation), to: QueueName(moderation.decision), key: key)
                    if moderation.decision == .approve, let author = BatchSignalTracker.knownAuthorKey(input.comment) {
                        batch.noteApprovedAuthor(author)
                    }
                    summary.counts[moderation.decision, default: 0] += 1
                case .error(let error):
                    batch.add(ErrorRecord.encode(error), to: .errors, key: key)
                    summary.errors += 1
                }
                if batch.count >= batchRecords || batch.byteCount >= batchBytes {
                    try store.commit(batch)
                    batch = QueueBatch()
                    keysInBatch.removeAll(keepingCapacity: true)
                }
            }
        }
        try store.commit(batch)
        summary.elapsedSeconds = Date().timeIntervalSince(started)
        return summary
    }
}
