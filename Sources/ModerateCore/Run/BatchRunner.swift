import Dispatch
import Foundation
import Synchronization

/// The pipeline over whole inputs: read comments in chunks, skip those already queued,
/// decide each chunk on every core, and commit the queue lines in input order, a `QueueCommit` at a time
/// (see `QueueStore`). The output does not depend on the number of jobs.
public final class BatchRunner {
    private let store: QueueStore
    private let chunkDecider: ChunkDecider
    private let copies: CopyCounting?
    /// Queue lines are committed (`QueueCommit`, one journal entry) when they reach this many
    /// records or bytes: small enough that little work is redone after a crash, large enough
    /// that syncing costs nothing.
    public var commitRecords = 5_000
    public var commitBytes = 4 << 20
    /// Comments read before they are decided together: 1,024, or fewer when they are big.
    public var chunkBound = ChunkBound()
    /// Called after each chunk with the counts so far (a progress line).
    public var progress: ((RunSummary, CommentReader) -> Void)?
    /// When requested, the run stops reading and commits what it has read (see `StopRequest`).
    public var stopRequest: StopRequest? {
        didSet { chunkDecider.progress = stopRequest }
    }

    /// `wholeInputCopies`: the inputs' bodies counted ahead (`BodyCopyCounts.counting`), so
    /// that every copy of a flood is caught, the first too; nil counts copies as they come.
    public init(ruleSet: RuleSet, store: QueueStore, jobs: Int = 1, wholeInputCopies: BodyCopyCounts? = nil) {
        self.store = store
        copies = ruleSet.usesCopies ? CopyCounting(wholeInputCopies) : nil
        chunkDecider = ChunkDecider(ruleSet: ruleSet, knownAuthors: store.knownAuthors, jobs: jobs,
                                    wholeInputCopies: wholeInputCopies)
    }

    public func run(_ readers: [CommentReader]) throws -> RunSummary {
        var summary = RunSummary()
        summary.copies = copies
        let started = Date()
        var uncommitted = QueueCommit()
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

        /// Adds a decided chunk's lines to what is not yet committed, committed when it is big enough.
        func add(_ decided: QueueCommit) throws {
            for action in Action.allCases { summary.counts[action, default: 0] += decided.recordCount(in: QueueName(action)) }
            summary.errors += decided.recordCount(in: .errors)
            uncommitted.append(decided)
            if uncommitted.count >= commitRecords || uncommitted.byteCount >= commitBytes {
                try store.commit(uncommitted)
                stopRequest?.noteProgress()
                pendingKeys.subtract(uncommitted.keys)
                uncommitted.removeAll()
            }
        }

        /// Sends the next step: decoding `read` (nil at the end of the input) and deciding
        /// the chunk the oldest step decoded, once that step is done.
        func advance(decoding read: [ReadItem]?) throws {
            var toDecide: ChunkDecider.ChunkToDecide?
            var decisionsToJoin = false
            if steps.count == 2 || (read == nil && !steps.isEmpty) {
                let done = steps.removeFirst().wait()
                if let decided = done.joined { try add(decided) }
                if let decoded = done.decoded { toDecide = try skippingQueued(decoded) }
                // The next step joins them; if there is none, one is needed for that alone.
                decisionsToJoin = done.leavesDecisionsToJoin && steps.isEmpty
            }
            guard toDecide != nil || read != nil || decisionsToJoin else { return }
            steps.append(Background(on: decider.queue) { [toDecide] in decider.step(deciding: toDecide, decoding: read ?? []) })
        }

        readers: for reader in readers {
            summary.files += 1
            var chunks = ChunkReader(reader, bound: chunkBound)
            var endOfInput = false
            while !endOfInput {
                let (read, end) = try chunks.next(unless: stopRequest)
                if end == .stopped {
                    // What was read is still decided and committed; nothing is half-read.
                    summary.interrupted = true
                    if !read.isEmpty { try advance(decoding: read) }
                    break readers
                }
                endOfInput = end == .endOfInput
                try advance(decoding: read)
                progress?(summary, reader)
            }
            summary.unterminatedBytesLeft += reader.unterminatedBytesLeft
        }
        while !steps.isEmpty { try advance(decoding: nil) }
        try store.commit(uncommitted)
        summary.elapsedSeconds = Date().timeIntervalSince(started)
        return summary
    }
}

/// When a chunk of records read closes: at `records` records or at `bytes` bytes of records
/// (`ReadItem.byteCount`), whichever comes first. A record that would take a chunk past
/// `bytes` starts the next chunk, so a chunk holds at most `bytes`, or one record that is
/// larger on its own.
///
/// The byte bound is what keeps memory to a budget: the pipeline holds a few chunks at once
/// (README, "Memory"), and a record costs several times its bytes while it is decided, so
/// 1,024 records of a megabyte each would take gigabytes. Ordinary comments (a few hundred
/// bytes) reach 1,024 records long before 8 MiB.
public struct ChunkBound: Sendable {
    public var records: Int
    public var bytes: Int

    public static let defaultRecords = 1_024
    public static let defaultBytes = 8 << 20

    public init(records: Int = ChunkBound.defaultRecords, bytes: Int = ChunkBound.defaultBytes) {
        self.records = max(1, records)
        self.bytes = max(1, bytes)
    }

    /// Whether a record of `recordBytes` goes into a chunk that has `count` records of
    /// `chunkBytes` so far (rather than starting the next one).
    public func admits(_ recordBytes: Int, intoChunkOf count: Int, bytes chunkBytes: Int) -> Bool {
        count == 0 || (count < records && chunkBytes + recordBytes <= bytes)
    }
}

/// Cuts one reader's records into chunks by a `ChunkBound`. The record that closes a chunk
/// by its size is kept for the next.
struct ChunkReader {
    private let reader: CommentReader
    private let bound: ChunkBound
    private var carried: ReadItem?

    init(_ reader: CommentReader, bound: ChunkBound) {
        self.reader = reader
        self.bound = bound
    }

    enum End { case more, endOfInput, stopped }

    /// The next chunk, and why it ended: full, at the end of the input (the chunk may be empty
    /// then), or because a stop was requested (checked before each record is read).
    mutating func next(unless stopRequest: StopRequest? = nil) throws -> (chunk: [ReadItem], end: End) {
        var chunk: [ReadItem] = []
        var bytes = 0
        if let item = carried {
            chunk.append(item)
            bytes += item.byteCount
            carried = nil
        }
        while chunk.count < bound.records {
            if stopRequest?.isRequested == true { return (chunk, .stopped) }
            guard let item = try reader.nextUndecoded() else { return (chunk, .endOfInput) }
            guard bound.admits(item.byteCount, intoChunkOf: chunk.count, bytes: bytes) else {
                carried = item
                break
            }
            chunk.append(item)
            bytes += item.byteCount
        }
        return (chunk, .more)
    }
}
