import Foundation

/// What a run did, for the one-line summary.
public struct RunSummary: Sendable, Equatable {
    public var counts: [Action: Int] = [:]
    public var errors = 0
    public var files = 0
    public var elapsedSeconds = 0.0

    public var comments: Int { counts.values.reduce(0, +) }
    public var commentsPerSecond: Double { elapsedSeconds > 0 ? Double(comments) / elapsedSeconds : 0 }

    public init() {}

    /// `12 comments from 1 file: 8 approve, 2 hold, 2 reject, 1 error; 0.01 s, 1200 comments/s`
    public var line: String {
        let queues = Action.allCases.map { "\(counts[$0, default: 0]) \($0.rawValue)" }.joined(separator: ", ")
        let errorText = errors == 1 ? "1 error" : "\(errors) errors"
        let fileText = files == 1 ? "1 file" : "\(files) files"
        return "\(comments) comments from \(fileText): \(queues), \(errorText); "
            + String(format: "%.2f s, %.0f comments/s", elapsedSeconds, commentsPerSecond)
    }
}

/// The pipeline over whole inputs: read each comment, decide it, write it to its queue.
/// Input that is not a comment goes to errors.jsonl and the batch goes on.
public final class BatchRunner {
    private let decider: Decider
    private let queues: QueueWriter
    /// Called after each comment or input error with the counts so far (a progress line).
    public var progress: ((RunSummary, CommentReader) -> Void)?

    public init(ruleSet: RuleSet, queues: QueueWriter) {
        decider = Decider(ruleSet: ruleSet)
        self.queues = queues
    }

    public func run(_ readers: [CommentReader]) throws -> RunSummary {
        var summary = RunSummary()
        let started = Date()
        for reader in readers {
            summary.files += 1
            while let item = try reader.next() {
                switch item {
                case .comment(let input):
                    let moderation = decider.decide(input.comment)
                    try queues.append(QueueRecord.encode(input, moderation), to: moderation.decision)
                    summary.counts[moderation.decision, default: 0] += 1
                case .error(let error):
                    try queues.appendError(ErrorRecord.encode(error))
                    summary.errors += 1
                }
                progress?(summary, reader)
            }
        }
        try queues.flush()
        summary.elapsedSeconds = Date().timeIntervalSince(started)
        return summary
    }
}
