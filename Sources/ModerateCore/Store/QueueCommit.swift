import Foundation
import Logging

/// Lines on their way to the queues, committed together.
struct QueueCommit {
    /// Each queue's lines and record count, by `QueueName.slot`.
    private var queueLines = [[UInt8]](repeating: [], count: QueueName.allCases.count)
    private var recordCounts = [Int](repeating: 0, count: QueueName.allCases.count)
    private(set) var keys: [RecordKey] = []
    private(set) var byteCount = 0
    /// Authors of the approved comments, remembered as known-good once the batch is in.
    private(set) var approvedAuthors: [RecordKey] = []

    public init() {}

    public mutating func noteApprovedAuthor(_ key: RecordKey) { approvedAuthors.append(key) }

    public var isEmpty: Bool { keys.isEmpty }
    public var count: Int { keys.count }

    public mutating func add(_ line: [UInt8], to queue: QueueName, key: RecordKey) {
        queueLines[queue.slot].append(contentsOf: line)
        recordCounts[queue.slot] += 1
        keys.append(key)
        byteCount += line.count
    }

    /// Adds another batch's lines after this one's.
    public mutating func append(_ other: QueueCommit) {
        for slot in queueLines.indices {
            queueLines[slot].append(contentsOf: other.queueLines[slot])
            recordCounts[slot] += other.recordCounts[slot]
        }
        keys.append(contentsOf: other.keys)
        byteCount += other.byteCount
        approvedAuthors.append(contentsOf: other.approvedAuthors)
    }

    /// Empties the batch but keeps its buffers, so that a run reuses the same memory for
    /// every batch rather than growing new buffers (and peak memory drifting) each time.
    public mutating func removeAll() {
        for slot in queueLines.indices {
            queueLines[slot].removeAll(keepingCapacity: true)
            recordCounts[slot] = 0
        }
        keys.removeAll(keepingCapacity: true)
        approvedAuthors.removeAll(keepingCapacity: true)
        byteCount = 0
    }

    public func recordCount(in queue: QueueName) -> Int { recordCounts[queue.slot] }
    func lines(for queue: QueueName) -> [UInt8] { queueLines[queue.slot] }
}
