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

/// The pipeline over whole inputs: read comments in chunks, skip those already queued,
/// decide each chunk on every core, and commit the queue lines in input order, in batches
/// (see `QueueStore`). The output does not depend on the number of jobs.
public final class BatchRunner {
    private let store: QueueStore
    private let chunkDecider: ChunkDecider
    /// A batch is committed when it reaches this many records or bytes: small enough that
    /// little work is redone after a crash, large enough that syncing costs nothing.
    public var batchRecords = 5_000
    public var batchBytes = 4 << 20
    /// Comments read before they are decided together.
    public var chunkSize = 1_024
    /// Called after each chunk with the counts so far (a progress line).
    public var progress: ((RunSummary, CommentReader) -> Void)?

    public init(ruleSet: RuleSet, store: QueueStore, jobs: Int = 1) {
        self.store = store
        chunkDecider = ChunkDecider(ruleSet: ruleSet, knownAuthors: store.knownAuthors, jobs: jobs)
    }

    public func run(_ readers: [CommentReader]) throws -> RunSummary {
        var summary = RunSummary()
        let started = Date()
        var batch = QueueBatch()
        // Keys read but not yet committed: with the store, they make a comment a duplicate.
        var pendingKeys = Set<RecordKey>()
        // With more than one job, a chunk is decided in the background while the next one is
        // read, so that reading and writing (one thread) overlap with deciding (all of them).
        var inFlight: ChunkInFlight?
        defer { inFlight?.wait() }

        func add(_ line: [UInt8], to queue: QueueName, key: RecordKey) throws {
            batch.add(line, to: queue, key: key)
            if batch.count >= batchRecords || batch.byteCount >= batchBytes {
                try store.commit(batch)
                pendingKeys.subtract(batch.keys)
                batch = QueueBatch()
            }
        }

        /// Writes a decided chunk's lines, in input order.
        func commit(_ decided: ChunkInFlight) throws {
            var decisions = decided.wait().makeIterator()
            for (item, key) in decided.chunk {
                switch item {
                case .comment:
                    let decided = decisions.next()!
                    try add(decided.line, to: QueueName(decided.moderation.decision), key: key)
                    if let author = decided.approvedAuthor { batch.noteApprovedAuthor(author) }
                    summary.counts[decided.moderation.decision, default: 0] += 1
                case .error(let error):
                    try add(ErrorRecord.encode(error), to: .errors, key: key)
                    summary.errors += 1
                }
            }
        }

        for reader in readers {
            summary.files += 1
            var endOfInput = false
            while !endOfInput {
                var read: [ReadItem] = []
                while read.count < chunkSize {
                    guard let item = try reader.nextUndecoded() else {
                        endOfInput = true
                        break
                    }
                    read.append(item)
                }
                // Decoding and hashing on every core; skipping what is already queued, in order.
                let decoded = chunkDecider.map(read.count) { index -> (item: InputItem, key: RecordKey) in
                    let item = read[index].decode()
                    switch item {
                    case .comment(let input): return (item, .comment(id: input.comment.id))
                    case .error(let error): return (item, .inputError(error))
                    }
                }
                var chunk: [(item: InputItem, key: RecordKey)] = []
                for entry in decoded {
                    guard try !store.contains(entry.key), pendingKeys.insert(entry.key).inserted else {
                        summary.alreadyQueued += 1
                        continue
                    }
                    chunk.append(entry)
                }
                // The previous chunk's decisions are needed before this chunk's batch signals
                // are counted; its writing then overlaps with deciding this one.
                let previous = inFlight
                previous?.wait()
                inFlight = nil
                let next = ChunkInFlight(chunk, decider: chunkDecider)
                if chunkDecider.jobs > 1 { inFlight = next }
                if let previous { try commit(previous) }
                if chunkDecider.jobs == 1 { try commit(next) }
                progress?(summary, reader)
            }
        }
        if let last = inFlight {
            inFlight = nil
            try commit(last)
        }
        try store.commit(batch)
        summary.elapsedSeconds = Date().timeIntervalSince(started)
        return summary
    }
}

/// A chunk being decided on a background thread; `wait()` gives its decisions in order.
private final class ChunkInFlight: @unchecked Sendable {
    let chunk: [(item: InputItem, key: RecordKey)]
    private let done = DispatchGroup()
    /// Written once by the background work, read after `done` (which orders the two).
    private var decisions: [DecidedComment] = []

    init(_ chunk: [(item: InputItem, key: RecordKey)], decider: ChunkDecider) {
        self.chunk = chunk
        let comments = chunk.compactMap { entry -> InputComment? in
            if case .comment(let input) = entry.item { return input } else { return nil }
        }
        if decider.jobs > 1 {
            DispatchQueue.global().async(group: done) { self.decisions = decider.decide(comments) }
        } else {
            decisions = decider.decide(comments)
        }
    }

    @discardableResult
    func wait() -> [DecidedComment] {
        done.wait()
        return decisions
    }
}

/// Decides a chunk of comments on `jobs` threads and gives back, in input order, each
/// decision and its queue line. Batch signals are worked out in input order between two
/// parallel steps, so the result is the same for any number of jobs.
///
/// `decide` runs for one chunk at a time (BatchRunner waits for a chunk before it starts the
/// next), possibly on a background thread; `map` uses no decider state and may run beside it.
final class ChunkDecider: @unchecked Sendable {
    private let ruleSet: RuleSet
    /// One per job: match data and JIT stacks are per thread.
    private let deciders: [Decider]
    private let signals: BatchSignalTracker?
    private let needsNormalizedBody: Bool
    var jobs: Int { deciders.count }

    init(ruleSet: RuleSet, knownAuthors: Set<RecordKey>, jobs: Int) {
        self.ruleSet = ruleSet
        deciders = (0..<max(1, jobs)).map { job in Decider(ruleSet: job == 0 ? ruleSet : ruleSet.copyForAnotherThread()) }
        signals = BatchSignalTracker.needed(by: ruleSet, knownAuthors: knownAuthors)
        needsNormalizedBody = ruleSet.usesBatchSignals
    }

    func decide(_ comments: [InputComment]) -> [DecidedComment] {
        let prepared = comments.map { PreparedComment($0.comment, linkPolicy: ruleSet.linkPolicy) }
        if let signals {
            // The expensive part of the signals (normalising bodies) in parallel, the
            // counting in input order.
            if needsNormalizedBody { parallel(prepared.count) { index, _ in _ = prepared[index].normalized(.body) } }
            for comment in prepared { comment.signals = signals.observe(comment) }
        }
        return map(comments.count) { index, worker in
            let moderation = deciders[worker].decide(prepared[index])
            let author = moderation.decision == .approve ? BatchSignalTracker.knownAuthorKey(comments[index].comment) : nil
            return DecidedComment(moderation: moderation, line: QueueRecord.encode(comments[index], moderation),
                                  approvedAuthor: author)
        }
    }

    /// `transform` of every index, worked out on the deciders' threads, in index order.
    func map<Result>(_ count: Int, _ transform: (Int) -> Result) -> [Result] {
        map(count) { index, _ in transform(index) }
    }

    private func map<Result>(_ count: Int, _ transform: (Int, Int) -> Result) -> [Result] {
        var results = [Result?](repeating: nil, count: count)
        results.withUnsafeMutableBufferPointer { slots in
            let output = UnsafeSendableBuffer(slots)
            parallel(count) { index, worker in output.buffer[index] = transform(index, worker) }
        }
        return results.map { $0! }
    }

    /// Runs `body(index, worker)` for every index, spread over the deciders' threads;
    /// each index is done by exactly one worker.
    private func parallel(_ count: Int, _ body: (Int, Int) -> Void) {
        let workers = min(deciders.count, count)
        guard workers > 1 else {
            for index in 0..<count { body(index, 0) }
            return
        }
        // Workers take the next few indices as they go rather than a fixed share, so one
        // slowed down (by the reading thread, or by long comments) does not leave the
        // others waiting at the end.
        let next = WorkCounter()
        withoutActuallyEscaping(body) { body in
            let work = UnsafeSendableClosure(body)
            DispatchQueue.concurrentPerform(iterations: workers) { worker in
                while true {
                    let start = next.take(WorkCounter.step)
                    guard start < count else { break }
                    for index in start..<min(start + WorkCounter.step, count) { work.body(index, worker) }
                }
            }
        }
    }
}

/// The next index for parallel workers to take.
private final class WorkCounter: Sendable {
    static let step = 8
    private let next = Atomic<Int>(0)

    /// Takes `count` indices; returns the first.
    func take(_ count: Int) -> Int { next.wrappingAdd(count, ordering: .relaxed).oldValue }
}

/// A comment's decision, its queue line, and (when approved) its author's key for
/// `skip_for_known_authors` in later runs: all worked out on the deciding thread.
struct DecidedComment {
    var moderation: Moderation
    var line: [UInt8]
    var approvedAuthor: RecordKey?
}

/// Lets parallel workers write disjoint slots of one buffer (each index has one writer).
private struct UnsafeSendableBuffer<Element>: @unchecked Sendable {
    let buffer: UnsafeMutableBufferPointer<Element>
    init(_ buffer: UnsafeMutableBufferPointer<Element>) { self.buffer = buffer }
}

/// A closure run by parallel workers over disjoint indices; what it captures is read-only
/// or per worker (the deciders), which the compiler cannot see.
private struct UnsafeSendableClosure: @unchecked Sendable {
    let body: (Int, Int) -> Void
    init(_ body: @escaping (Int, Int) -> Void) { self.body = body }
}
