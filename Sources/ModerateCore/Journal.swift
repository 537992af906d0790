import Crypto

/// The queue directory's journal: which records are already in a queue, and whether the
/// last batch was completely written. The queue files stay the data a person reads; the
/// journal only indexes them, and can be rebuilt from them.
///
/// Every batch writes two journal entries around its queue writes:
/// 1. `intent`: the size of each queue file before the batch and the keys of its records
///    (synced to disk before any queue file is touched);
/// 2. the queue lines are appended and synced;
/// 3. `commit`: the batch is complete.
/// An intent without its commit means a run died mid-batch: the next run cuts each queue
/// file back to the size the intent recorded, so no partial line and no half batch stays,
/// and the batch's comments are moderated again. Each entry carries a checksum; a torn
/// entry at the end of the journal is cut off.
struct Journal {
    struct Intent: Equatable {
        /// Queue file sizes before the batch, in `QueueName.allCases` order.
        var sizesBefore: [UInt64]
        var keys: [RecordKey]
    }

    /// What reading the journal found.
    struct State {
        var committed: Set<RecordKey> = []
        /// The last batch, if it has no commit entry.
        var unfinished: Intent?
        /// Where the last complete entry ends: everything after it is torn or unfinished.
        var validLength = 0
        /// Where the unfinished intent starts (the journal is cut back to here after repair).
        var unfinishedOffset = 0
        var tornBytes = 0
        var entries = 0
    }

    static let magic: [UInt8] = Array("MJ1".utf8)
    static let intentKind: UInt8 = 1
    static let commitKind: UInt8 = 2

    static func encodeIntent(_ intent: Intent) -> [UInt8] {
        var body: [UInt8] = [intentKind]
        for size in intent.sizesBefore { body += size.bigEndianBytes }
        body += UInt64(intent.keys.count).bigEndianBytes
        for key in intent.keys { body += key.bytes }
        return frame(body)
    }

    static func encodeCommit() -> [UInt8] { frame([commitKind]) }

    /// magic, body length, body, then 8 bytes of the SHA-256 of the body.
    private static func frame(_ body: [UInt8]) -> [UInt8] {
        magic + UInt64(body.count).bigEndianBytes + body + Array(SHA256.hash(data: body).prefix(8))
    }

    static func read(_ bytes: [UInt8]) -> State {
        var state = State()
        var offset = 0
        var pendingOffset = 0
        while let (body, next) = entry(in: bytes, at: offset) {
            switch body.first {
            case intentKind:
                guard let intent = decodeIntent(body) else { break }
                state.unfinished = intent
                pendingOffset = offset
            case commitKind:
                if let intent = state.unfinished { state.committed.formUnion(intent.keys) }
                state.unfinished = nil
            default:
                break
            }
            state.entries += 1
            offset = next
            state.validLength = next
        }
        state.tornBytes = bytes.count - state.validLength
        state.unfinishedOffset = state.unfinished == nil ? state.validLength : pendingOffset
        return state
    }

    private static func entry(in bytes: [UInt8], at offset: Int) -> (body: ArraySlice<UInt8>, next: Int)? {
        let header = magic.count + 8
        guard offset + header <= bytes.count, Array(bytes[offset..<offset + magic.count]) == magic else { return nil }
        let length = UInt64(bigEndianBytes: bytes[offset + magic.count..<offset + header])
        guard length <= UInt64(bytes.count - offset - header), bytes.count - offset - header - Int(length) >= 8 else { return nil }
        let bodyStart = offset + header
        let body = bytes[bodyStart..<bodyStart + Int(length)]
        let checksum = bytes[bodyStart + Int(length)..<bodyStart + Int(length) + 8]
        guard Array(SHA256.hash(data: Array(body)).prefix(8)) == Array(checksum) else { return nil }
        return (body, bodyStart + Int(length) + 8)
    }

    private static func decodeIntent(_ body: ArraySlice<UInt8>) -> Intent? {
        let sizeCount = QueueName.allCases.count
        var position = body.startIndex + 1
        func nextUInt64() -> UInt64? {
            guard position + 8 <= body.endIndex else { return nil }
            defer { position += 8 }
            return UInt64(bigEndianBytes: body[position..<position + 8])
        }
        var sizes: [UInt64] = []
        for _ in 0..<sizeCount {
            guard let size = nextUInt64() else { return nil }
            sizes.append(size)
        }
        guard let count = nextUInt64(), count <= UInt64(body.endIndex - position) / 16 else { return nil }
        var keys: [RecordKey] = []
        keys.reserveCapacity(Int(count))
        for _ in 0..<count {
            guard let high = nextUInt64(), let low = nextUInt64() else { return nil }
            keys.append(RecordKey(high: high, low: low))
        }
        return Intent(sizesBefore: sizes, keys: keys)
    }
}
