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
        // The parallel work goes in steps, each on all the jobs' threads: step n decodes
        // chunk n, decides chunk n - 2 and joins the queue lines of chunk n - 3 (which the
        // step before decided). With more than one job the steps run in the
        // background, one after another, while this thread reads the next chunk, skips what
        // is already queued and commits what is decided; it waits for step n - 2 before it
        // sends step n, so the next step is always queued. Oldest first.
        var steps: [Background<ChunkDecider.StepResult>] = []
        defer { for step in steps { step.wait() } }
        let decider = chunkDecider

        /// Marks what is already queued in a decoded chunk, in input order.
        func skippingQueued(_ chunk: DecodedChunk) throws -> ChunkDecider.ChunkToDecide {
            var alreadyQueued = [Bool](repeating: false, count: chunk.keys.count)
            for (index, key) in chunk.keys.enumerated() {
                if try store.contains(key) || !pendingKeys.insert(key).inserted {
                    alreadyQueued[index] = true
                    summary.alreadyQueued += 1
                }
            }
            return ChunkDecider.ChunkToDecide(chunk: chunk, alreadyQueued: alreadyQueued)
        }

        /// Adds a decided chunk's lines to the batch, committed when it is big enough.
        func commit(_ decided: QueueBatch) throws {
            for action in Action.allCases { summary.counts[action, default: 0] += decided.recordCount(in: QueueName(action)) }
            summary.errors += decided.recordCount(in: .errors)
            batch.append(decided)
            if batch.count >= batchRecords || batch.byteCount >= batchBytes {
                try store.commit(batch)
                pendingKeys.subtract(batch.keys)
                batch.removeAll()
            }
        }

        /// Sends the next step: decoding `read` (nil at the end of the input) and deciding
        /// the chunk the oldest step decoded, once that step is done.
        func advance(decoding read: [ReadItem]?) throws {
            var toDecide: ChunkDecider.ChunkToDecide?
            var decisionsToJoin = false
            if steps.count == 2 || (read == nil && !steps.isEmpty) {
                let done = steps.removeFirst().wait()
                if let decided = done.joined { try commit(decided) }
                if let decoded = done.decoded { toDecide = try skippingQueued(decoded) }
                // The next step joins them; if there is none, one is needed for that alone.
                decisionsToJoin = done.leavesDecisionsToJoin && steps.isEmpty
            }
            guard toDecide != nil || read != nil || decisionsToJoin else { return }
            steps.append(Background(on: decider.queue) { [toDecide] in decider.step(deciding: toDecide, decoding: read ?? []) })
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
                try advance(decoding: read)
                progress?(summary, reader)
            }
        }
        while !steps.isEmpty { try advance(decoding: nil) }
        try store.commit(batch)
        summary.elapsedSeconds = Date().timeIntervalSince(started)
        return summary
    }
}

/// A chunk of input records, decoded, with each one's key (which says whether it is already
/// queued). A class so that the deciding step can take each item out of `items`, and so free
/// it on the worker that decides it rather than on the reading thread.
final class DecodedChunk: @unchecked Sendable {
    fileprivate var items: [InputItem?]
    let keys: [RecordKey]

    init(items: [InputItem?], keys: [RecordKey]) {
        self.items = items
        self.keys = keys
    }
}

/// Work done on `queue` (one block after another, in the order given), or right away
/// without one; `wait()` gives its result.
final class Background<Result>: @unchecked Sendable {
    private let done = DispatchGroup()
    /// Written once by the work, read after `done` (which orders the two).
    private var result: Result?

    init(on queue: DispatchQueue?, _ work: @escaping @Sendable () -> Result) {
        guard let queue else {
            result = work()
            return
        }
        queue.async(group: done) { self.result = work() }
    }

    @discardableResult
    func wait() -> Result {
        done.wait()
        return result!
    }
}

/// Decodes and decides chunks on `jobs` threads, and gives back each decided chunk's queue
/// lines in input order. Batch signals are worked out in input order between two parallel
/// passes, so the result is the same for any number of jobs.
///
/// Steps run one at a time (on `queue`, which runs one block at a time, or on the caller's
/// thread with one job): the deciders' match state is used by one step at a time.
final class ChunkDecider: @unchecked Sendable {
    /// Where the parallel steps run in the background, one after another, in the order
    /// given; nil with one job, where every step runs on the caller's thread.
    let queue: DispatchQueue?
    private let ruleSet: RuleSet
    /// One per job: match data and JIT stacks are per thread.
    private let deciders: [Decider]
    private let signals: BatchSignalTracker?
    private let needsNormalizedBody: Bool
    var jobs: Int { deciders.count }

    init(ruleSet: RuleSet, knownAuthors: Set<RecordKey>, jobs: Int) {
        self.ruleSet = ruleSet
        queue = jobs > 1 ? DispatchQueue(label: "moderate.chunks") : nil
        deciders = (0..<max(1, jobs)).map { job in Decider(ruleSet: job == 0 ? ruleSet : ruleSet.copyForAnotherThread()) }
        signals = BatchSignalTracker.needed(by: ruleSet, knownAuthors: knownAuthors)
        needsNormalizedBody = ruleSet.usesBatchSignals
    }

    /// A decoded chunk and which of its records are already queued (and so skipped).
    struct ChunkToDecide: Sendable {
        let chunk: DecodedChunk
        let alreadyQueued: [Bool]
    }

    /// What a step gives back: the lines of the chunk the step before decided, the chunk it
    /// decoded, and whether it decided a chunk whose lines the next step is to join.
    struct StepResult: @unchecked Sendable {
        var joined: QueueBatch?
        var decoded: DecodedChunk?
        var leavesDecisionsToJoin: Bool
    }

    /// A chunk decided by one step, its lines joined in input order by the next.
    private struct Decided {
        let toDecide: ChunkToDecide
        /// In input order, from `decisions[firstDecision]` (the step's first piece of work
        /// may have been a join, with no decision).
        let decisions: [DecidedComment?]
        let firstDecision: Int
    }

    /// Set by a step that decided a chunk, taken by the next (steps run one at a time).
    private var decidedByLastStep: Decided?

    /// One parallel step on all the jobs' threads together: joins the lines of the chunk the
    /// last step decided (serial work, but beside the rest rather than after it), decides a
    /// chunk, and decodes the records of another. Work is handed out in that order, so the
    /// decoding, many small pieces, fills the end of the step, when threads would otherwise
    /// wait for the last comments to be decided.
    func step(deciding toDecide: ChunkToDecide?, decoding read: [ReadItem]) -> StepResult {
        let toJoin = decidedByLastStep
        decidedByLastStep = nil
        let chunk = toDecide?.chunk ?? DecodedChunk(items: [], keys: [])
        let alreadyQueued = toDecide?.alreadyQueued ?? []
        let places = chunk.items.indices.filter { index in
            if !alreadyQueued[index], case .comment = chunk.items[index] { return true } else { return false }
        }
        let linkPolicy = ruleSet.linkPolicy
        let joinCount = toJoin == nil ? 0 : 1
        var joined: [QueueBatch?] = [nil]
        var keys = [RecordKey](repeating: RecordKey(high: 0, low: 0), count: read.count)
        var decodedItems: [InputItem?] = []
        let decisions = chunk.items.withUnsafeMutableBufferPointer { items -> [DecidedComment?] in
            let items = UnsafeSendableBuffer(items)
            /// The comment at a place, left in the chunk.
            func comment(at place: Int) -> Comment {
                guard case .comment(let input) = items.buffer[place] else { preconditionFailure("not a comment") }
                return input.comment
            }
            /// The comment at a place, taken out of the chunk: freed on the worker deciding it.
            func takeComment(at place: Int) -> InputComment {
                guard case .comment(let input) = items.buffer[place].take() else { preconditionFailure("not a comment") }
                return input
            }
            var prepared: [PreparedComment] = []
            if let signals {
                // Batch signals are counted in input order, between two parallel passes:
                // preparing (with the expensive part of the signals, normalising bodies) and
                // deciding.
                prepared = map(places.count) { index, _ in
                    let prepared = PreparedComment(comment(at: places[index]), linkPolicy: linkPolicy)
                    if needsNormalizedBody { _ = prepared.normalized(.body) }
                    return prepared
                }
                for comment in prepared { comment.signals = signals.observe(comment) }
            }
            return joined.withUnsafeMutableBufferPointer { joinedSlot in
                let joinedOutput = UnsafeSendableBuffer(joinedSlot)
                return keys.withUnsafeMutableBufferPointer { keySlots in
                    let keyOutput = UnsafeSendableBuffer(keySlots)
                    var decisions: [DecidedComment?] = []
                    (decisions, decodedItems) = map(joinCount + places.count, read.count, { index, worker -> DecidedComment? in
                        guard index >= joinCount else {
                            joinedOutput.buffer[0] = Self.lines(of: toJoin!)
                            return nil
                        }
                        let input = takeComment(at: places[index - joinCount])
                        let comment = prepared.isEmpty ? PreparedComment(input.comment, linkPolicy: linkPolicy) : prepared[index - joinCount]
                        return decided(input, comment, by: worker)
                    }, { index, _ -> InputItem? in
                        let item = read[index].decode()
                        switch item {
                        case .comment(let input): keyOutput.buffer[index] = .comment(id: input.comment.id)
                        case .error(let error): keyOutput.buffer[index] = .inputError(error)
                        }
                        return item
                    })
                    return decisions
                }
            }
        }
        if let toDecide { decidedByLastStep = Decided(toDecide: toDecide, decisions: decisions, firstDecision: joinCount) }
        return StepResult(joined: joined[0], decoded: read.isEmpty ? nil : DecodedChunk(items: decodedItems, keys: keys),
                          leavesDecisionsToJoin: toDecide != nil)
    }

    /// The queue lines of a decided chunk's records (but those already queued), errors
    /// included, in input order. Empties the chunk.
    private static func lines(of decided: Decided) -> QueueBatch {
        let chunk = decided.toDecide.chunk
        var batch = QueueBatch()
        var next = decided.decisions[decided.firstDecision...].makeIterator()
        for index in chunk.keys.indices where !decided.toDecide.alreadyQueued[index] {
            switch chunk.items[index].take() {
            case .error(let error)?:
                batch.add(ErrorRecord.encode(error), to: .errors, key: chunk.keys[index])
            default:
                let decided = next.next()!!
                batch.add(decided.line, to: QueueName(decided.decision), key: chunk.keys[index])
                if let author = decided.approvedAuthor { batch.noteApprovedAuthor(author) }
            }
        }
        chunk.items = []
        return batch
    }

    private func decided(_ input: InputComment, _ prepared: PreparedComment, by worker: Int) -> DecidedComment {
        let moderation = deciders[worker].decide(prepared)
        let author = moderation.decision == .approve ? BatchSignalTracker.knownAuthorKey(input.comment) : nil
        return DecidedComment(decision: moderation.decision, line: QueueRecord.encode(input, moderation), approvedAuthor: author)
    }

    /// Two lists of results worked out in one parallel pass: `first` of each index below
    /// `firstCount`, then `second` of each below `secondCount`, in index order. Each result
    /// is built in its slot of the array, not in an optional copied over after.
    private func map<First, Second>(_ firstCount: Int, _ secondCount: Int,
                                    _ first: (Int, Int) -> First, _ second: (Int, Int) -> Second) -> ([First], [Second]) {
        var seconds: [Second] = []
        let firsts = [First](unsafeUninitializedCapacity: firstCount) { firstSlots, firstsInitialized in
            seconds = [Second](unsafeUninitializedCapacity: secondCount) { secondSlots, secondsInitialized in
                let firstOutput = UnsafeSendableBuffer(firstSlots)
                let secondOutput = UnsafeSendableBuffer(secondSlots)
                parallel(firstCount + secondCount) { index, worker in
                    if index < firstCount {
                        (firstOutput.buffer.baseAddress! + index).initialize(to: first(index, worker))
                    } else {
                        (secondOutput.buffer.baseAddress! + index - firstCount).initialize(to: second(index - firstCount, worker))
                    }
                }
                secondsInitialized = secondCount
            }
            firstsInitialized = firstCount
        }
        return (firsts, seconds)
    }

    /// `transform(index, worker)` of every index, worked out on the deciders' threads, in
    /// index order.
    private func map<Result>(_ count: Int, _ transform: (Int, Int) -> Result) -> [Result] {
        map(count, 0, transform, { _, _ in }).0
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
    var decision: Action
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
