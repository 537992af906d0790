import Dispatch
import Foundation
import Synchronization

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
    /// When requested, the run stops reading and commits what it has read (see `StopRequest`).
    public var stopRequest: StopRequest?

    public init(ruleSet: RuleSet, store: QueueStore, jobs: Int = 1) {
        self.store = store
        chunkDecider = ChunkDecider(ruleSet: ruleSet, knownAuthors: store.knownAuthors, jobs: jobs)
    }

    public func run(_ readers: [CommentReader]) throws -> RunSummary {
        var summary = RunSummary()
        let started = Date()
        var batch = QueueCommit()
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
        func commit(_ decided: QueueCommit) throws {
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

        readers: for reader in readers {
            summary.files += 1
            var endOfInput = false
            while !endOfInput {
                var read: [ReadItem] = []
                while read.count < chunkSize {
                    if stopRequest?.isRequested == true {
                        // What was read is still decided and committed below; nothing is half-read.
                        summary.interrupted = true
                        if !read.isEmpty { try advance(decoding: read) }
                        break readers
                    }
                    guard let item = try reader.nextUndecoded() else {
                        endOfInput = true
                        break
                    }
                    read.append(item)
                }
                try advance(decoding: read)
                progress?(summary, reader)
            }
            summary.unterminatedBytesLeft += reader.unterminatedBytesLeft
        }
        while !steps.isEmpty { try advance(decoding: nil) }
        try store.commit(batch)
        summary.elapsedSeconds = Date().timeIntervalSince(started)
        return summary
    }
}
