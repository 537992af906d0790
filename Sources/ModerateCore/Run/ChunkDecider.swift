import Dispatch
import Foundation
import Synchronization

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
    /// One per job: match data and JIT stacks are per thread.
    private let deciders: [Decider]
    private let preparer: CommentPreparer
    var jobs: Int { deciders.count }
    /// Told of every comment decided, so a stop can tell a slow run from a stuck one; set
    /// before the run starts.
    var progress: StopRequest?

    init(ruleSet: RuleSet, knownAuthors: Set<RecordKey>, jobs: Int, wholeInputCopies: BodyCopyCounts? = nil) {
        queue = jobs > 1 ? DispatchQueue(label: "moderate.chunks") : nil
        let first = Decider(ruleSet: ruleSet)
        deciders = [first] + (1..<max(1, jobs)).map { _ in first.forAnotherThread() }
        preparer = CommentPreparer(ruleSet: ruleSet, knownAuthors: knownAuthors, wholeInputCopies: wholeInputCopies)
    }

    /// A decoded chunk and which of its records are already queued (and so skipped).
    struct ChunkToDecide: Sendable {
        let chunk: DecodedChunk
        let alreadyQueued: [Bool]
    }

    /// What a step gives back: the lines of the chunk the step before decided, the chunk it
    /// decoded, and whether it decided a chunk whose lines the next step is to join.
    struct StepResult: @unchecked Sendable {
        var joined: QueueCommit?
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
        let joinCount = toJoin == nil ? 0 : 1
        var joined: [QueueCommit?] = [nil]
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
            if preparer.observesSignals {
                // Batch signals are counted in input order, between two parallel passes:
                // preparing (with the expensive part of the signals, normalising bodies) and
                // deciding.
                prepared = map(places.count) { index, _ in
                    preparer.prepare(comment(at: places[index]))
                }
                for comment in prepared { preparer.observeInOrder(comment) }
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
                        let comment = prepared.isEmpty ? preparer.prepare(input.comment) : prepared[index - joinCount]
                        return decided(input, comment, by: worker)
                    }, { index, _ -> InputItem? in
                        let item = read[index].decode()
                        switch item {
                        case .comment(let input): keyOutput.buffer[index] = .comment(input.comment)
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
    private static func lines(of decided: Decided) -> QueueCommit {
        let chunk = decided.toDecide.chunk
        var batch = QueueCommit()
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
        progress?.noteProgress()
        let author = moderation.decision == .approve ? RecordKey.knownAuthor(of: input.comment) : nil
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
