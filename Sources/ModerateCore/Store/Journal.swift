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
        /// Queue file sizes before the batch, in `QueueName.allCases` order (then, for a
        /// person's decision, the size of decisions.jsonl).
        var sizesBefore: [UInt64]
        var keys: [RecordKey]
    }

    /// What reading the journal found. The committed keys are not kept here: `read` hands
    /// them out one by one, so reading takes memory for one window of the file, not for the
    /// whole journal.
    struct State {
        /// The last batch, if it has no commit entry.
        var unfinished: Unfinished?
        /// Where the last complete entry ends: everything after it is torn or unfinished.
        var validLength = 0
        /// Where the unfinished intent starts (the journal is cut back to here after repair).
        var unfinishedOffset = 0
        var tornBytes = 0
        var entries = 0
        /// Keys handed out as committed (with repeats, if the journal has any).
        var committedKeys = 0
    }

    /// An intent without its commit: where the queue files are cut back to.
    struct Unfinished: Equatable {
        var sizesBefore: [UInt64]
        var keyCount: Int
        /// Where its keys start in the journal.
        fileprivate var keysOffset: Int
    }

    static let magic: [UInt8] = Array("MJ1".utf8)
    static let intentKind: UInt8 = 1
    static let commitKind: UInt8 = 2
    /// An intent of a person's decision (`DecisionRecorder`): the queue files' sizes, then
    /// `decisions.jsonl`'s, so that an unfinished decision is cut back from both.
    static let decisionIntentKind: UInt8 = 3
    /// The files an intent of each kind gives sizes for.
    private static func sizeCount(ofKind kind: UInt8) -> Int? {
        switch kind {
        case intentKind: return QueueName.allCases.count
        case decisionIntentKind: return QueueName.allCases.count + 1
        default: return nil
        }
    }
    private static let headerLength = magic.count + 8
    private static let checksumLength = 8
    /// Kind, the sizes of the queue files (and of decisions.jsonl), the key count.
    private static func intentHeadLength(sizes: Int) -> Int { 1 + 8 * sizes + 8 }
    private static var longestIntentHead: Int { intentHeadLength(sizes: QueueName.allCases.count + 1) }

    static func encodeIntent(_ intent: Intent) -> [UInt8] {
        var bytes: [UInt8] = []
        // Cannot throw: neither the keys nor the writing do.
        try! writeIntent(sizesBefore: intent.sizesBefore, keyCount: intent.keys.count,
                         forEachKey: { body in for key in intent.keys { try body(key) } }) { bytes += $0 }
        return bytes
    }

    /// Writes an intent entry in pieces of about 64 KiB, so that an intent for any number
    /// of keys (the rebuild from the queue files writes one for all of them) never needs all
    /// its bytes at once. `forEachKey` must call its argument with exactly `keyCount` keys.
    static func writeIntent(sizesBefore: [UInt64], keyCount: Int,
                            forEachKey: (_ body: (RecordKey) throws -> Void) throws -> Void,
                            to write: ([UInt8]) throws -> Void) throws {
        precondition(sizesBefore.count == QueueName.allCases.count || sizesBefore.count == QueueName.allCases.count + 1)
        var head: [UInt8] = [sizesBefore.count == QueueName.allCases.count ? intentKind : decisionIntentKind]
        for size in sizesBefore { head += size.bigEndianBytes }
        head += UInt64(keyCount).bigEndianBytes
        var hasher = SHA256()
        hasher.update(data: head)
        var piece = magic + UInt64(head.count + 16 * keyCount).bigEndianBytes + head
        var written = 0
        // `forEachKey` cannot reach `write`: nothing re-entrant to fear.
        try withoutActuallyEscaping(write) { write in
            try forEachKey { key in
                written += 1
                let bytes = key.bytes
                hasher.update(data: bytes)
                piece += bytes
                if piece.count >= 64 << 10 {
                    try write(piece)
                    piece.removeAll(keepingCapacity: true)
                }
            }
        }
        precondition(written == keyCount, "an intent for \(keyCount) keys was handed \(written)")
        try write(piece + Array(hasher.finalize().prefix(checksumLength)))
    }

    static func encodeCommit() -> [UInt8] { frame([commitKind]) }

    /// magic, body length, body, then 8 bytes of the SHA-256 of the body.
    private static func frame(_ body: [UInt8]) -> [UInt8] {
        magic + UInt64(body.count).bigEndianBytes + body + Array(SHA256.hash(data: body).prefix(checksumLength))
    }

    /// Reads a whole journal held in memory (tests, and journals too small to matter).
    static func read(_ bytes: [UInt8], committed: (RecordKey) -> Void) -> State {
        // Cannot throw: every read is within `bytes`.
        try! read(length: bytes.count, readAt: { offset, count in Array(bytes[offset..<offset + count]) },
                  committed: committed)
    }

    /// Reads the journal file through a window of `windowBytes`.
    static func read(_ file: PosixFile, windowBytes: Int = 256 << 10, committed: (RecordKey) throws -> Void) throws -> State {
        try read(length: Int(try file.size()), windowBytes: windowBytes,
                 readAt: { offset, count in try file.read(at: UInt64(offset), count: count) },
                 committed: committed)
    }

    /// Walks the entries from the start; calls `committed` with each key of each intent that
    /// has its commit entry, in journal order. Each entry's checksum is checked by streaming
    /// its body, and a committed intent's keys are read again when its commit is seen (from
    /// the window, unless the intent is bigger than it), so no entry is ever held whole.
    /// `readAt(offset, count)` gives exactly `count` bytes from `offset`, within `length`.
    static func read(length: Int, windowBytes: Int = 256 << 10,
                     readAt: @escaping (Int, Int) throws -> [UInt8],
                     committed: (RecordKey) throws -> Void) throws -> State {
        let source = WindowedBytes(length: length, windowBytes: max(windowBytes, headerLength + longestIntentHead), readAt: readAt)
        var state = State()
        var offset = 0
        var pendingOffset = 0
        while let (bodyStart, bodyLength) = try entry(in: source, at: offset) {
            let kind = try bodyLength > 0 ? source.bytes(at: bodyStart, count: 1).first : nil
            switch kind {
            case intentKind, decisionIntentKind:
                guard let intent = try intentHead(in: source, kind: kind!, bodyStart: bodyStart, bodyLength: bodyLength) else { break }
                state.unfinished = intent
                pendingOffset = offset
            case commitKind:
                if let intent = state.unfinished {
                    try forEachKey(of: intent, in: source, committed)
                    state.committedKeys += intent.keyCount
                }
                state.unfinished = nil
            default:
                break
            }
            state.entries += 1
            offset = bodyStart + bodyLength + checksumLength
            state.validLength = offset
        }
        state.tornBytes = length - state.validLength
        state.unfinishedOffset = state.unfinished == nil ? state.validLength : pendingOffset
        return state
    }

    /// The body of the whole, checksummed entry at `offset`, or nil (torn or not an entry).
    private static func entry(in source: WindowedBytes, at offset: Int) throws -> (bodyStart: Int, bodyLength: Int)? {
        guard offset + headerLength <= source.length else { return nil }
        let header = try source.bytes(at: offset, count: headerLength)
        guard header.prefix(magic.count).elementsEqual(magic) else { return nil }
        let length = UInt64(bigEndianBytes: header.suffix(8))
        let room = source.length - offset - headerLength
        guard length <= UInt64(room), room - Int(length) >= checksumLength else { return nil }
        let bodyStart = offset + headerLength
        let bodyLength = Int(length)
        var hasher = SHA256()
        var position = bodyStart
        while position < bodyStart + bodyLength {
            let count = min(source.windowBytes, bodyStart + bodyLength - position)
            try source.bytes(at: position, count: count).withUnsafeBytes { hasher.update(bufferPointer: $0) }
            position += count
        }
        let checksum = try source.bytes(at: bodyStart + bodyLength, count: checksumLength)
        guard hasher.finalize().prefix(checksumLength).elementsEqual(checksum) else { return nil }
        return (bodyStart, bodyLength)
    }

    /// The sizes and key count of an intent body; nil if it is too short for them or for
    /// the keys it counts.
    private static func intentHead(in source: WindowedBytes, kind: UInt8, bodyStart: Int, bodyLength: Int) throws -> Unfinished? {
        guard let sizeCount = sizeCount(ofKind: kind) else { return nil }
        let headLength = intentHeadLength(sizes: sizeCount)
        guard bodyLength >= headLength else { return nil }
        let head = Array(try source.bytes(at: bodyStart, count: headLength))
        var sizes: [UInt64] = []
        var position = 1
        for _ in 0..<sizeCount {
            sizes.append(UInt64(bigEndianBytes: head[position..<position + 8]))
            position += 8
        }
        let count = UInt64(bigEndianBytes: head[position..<position + 8])
        guard count <= UInt64(bodyLength - headLength) / 16 else { return nil }
        return Unfinished(sizesBefore: sizes, keyCount: Int(count), keysOffset: bodyStart + headLength)
    }

    private static func forEachKey(of intent: Unfinished, in source: WindowedBytes, _ body: (RecordKey) throws -> Void) throws {
        let keysPerRead = max(1, source.windowBytes / 16)
        var done = 0
        while done < intent.keyCount {
            let count = min(keysPerRead, intent.keyCount - done)
            let bytes = try source.bytes(at: intent.keysOffset + 16 * done, count: 16 * count)
            var position = bytes.startIndex
            for _ in 0..<count {
                try body(RecordKey(high: UInt64(bigEndianBytes: bytes[position..<position + 8]),
                               low: UInt64(bigEndianBytes: bytes[position + 8..<position + 16])))
                position += 16
            }
            done += count
        }
    }
}

/// Reads a file through one window of `windowBytes`: a read inside the window costs nothing,
/// one outside it moves the window there.
private final class WindowedBytes {
    let length: Int
    let windowBytes: Int
    private let readAt: (Int, Int) throws -> [UInt8]
    private var window: [UInt8] = []
    private var windowStart = 0

    init(length: Int, windowBytes: Int, readAt: @escaping (Int, Int) throws -> [UInt8]) {
        self.length = length
        self.windowBytes = windowBytes
        self.readAt = readAt
    }

    /// `count` bytes from `offset`; `count` at most `windowBytes`, and all within `length`.
    func bytes(at offset: Int, count: Int) throws -> ArraySlice<UInt8> {
        precondition(count <= windowBytes && offset >= 0 && offset + count <= length)
        if offset < windowStart || offset + count > windowStart + window.count {
            window = []
            window = try readAt(offset, min(windowBytes, length - offset))
            windowStart = offset
        }
        let start = offset - windowStart
        return window[start..<start + count]
    }
}
