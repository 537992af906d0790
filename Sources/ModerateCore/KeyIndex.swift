/// The set of record keys already in a queue: `QueueStore`'s exactly-once index, in about
/// 16 bytes a key where a `Set<RecordKey>` takes 32 to 48 (its table is a power of two at
/// most three-quarters full, and doubles through a copy: 50 MB at one million keys).
///
/// Exact, like the `Set` it replaces: it holds the full 128-bit keys and compares all 128
/// bits, so it never answers "already queued" for a key that is not (that would lose a
/// comment) and never misses one that is (that would route it twice). Why not less:
/// - 64-bit fingerprints alone (8 bytes a key) are not exact: two different ids can share
///   one (about n²/2⁶⁵ at n keys), and the second comment would be dropped.
/// - Fingerprints confirmed against the journal on disk would be exact, but a rerun over
///   the same export hits every key, so every lookup would go to the disk; and keeping the
///   confirming half in memory is the 16 bytes again.
/// - n random 128-bit keys carry about n·(128 − log₂ n + 1.4) bits, so no exact in-memory
///   encoding gets far below this one (about 14 bytes a key at a million keys).
///
/// Layout: most keys sit sorted in blocks of `blockKeys` (64 KiB each), found by a binary
/// search over the blocks' first keys and then within one block. New keys go to `recent`,
/// a `Set` of at most `recentLimit` keys; when it fills up it is sorted and merged into the
/// blocks. The merge writes new blocks while it frees the old ones one by one, so it needs
/// only a block or two beyond the keys themselves — never a second copy of the index, as
/// growing one contiguous array would. `recent` grows with the index (1/32 of it) so
/// merging stays linear overall: each key is moved about 32 times on its way up.
struct KeyIndex {
    static let blockKeys = 4_096
    static let minimumRecentLimit = 1 << 16

    /// Sorted and disjoint: every key of `blocks[i]` is below every key of `blocks[i + 1]`.
    /// All full but the last.
    private var blocks: [[RecordKey]] = []
    /// `blocks[i][0]`, for the first step of a lookup.
    private var firstKeys: [RecordKey] = []
    private var sortedCount = 0
    /// Keys not yet merged; none of them is in `blocks`.
    private var recent: Set<RecordKey> = []
    private let blockKeys: Int
    private let minimumRecentLimit: Int

    /// Smaller `blockKeys` and `minimumRecentLimit` are for tests (more blocks, more merges).
    init(blockKeys: Int = KeyIndex.blockKeys, minimumRecentLimit: Int = KeyIndex.minimumRecentLimit) {
        precondition(blockKeys > 0 && minimumRecentLimit > 0)
        self.blockKeys = blockKeys
        self.minimumRecentLimit = minimumRecentLimit
    }

    var count: Int { sortedCount + recent.count }
    var isEmpty: Bool { count == 0 }

    /// How many keys `recent` holds before they are merged into the blocks.
    var recentLimit: Int { max(minimumRecentLimit, sortedCount / 32) }

    func contains(_ key: RecordKey) -> Bool {
        recent.contains(key) || sortedContains(key)
    }

    /// Adds `key`; false if it was already there.
    @discardableResult
    mutating func insert(_ key: RecordKey) -> Bool {
        guard !sortedContains(key), recent.insert(key).inserted else { return false }
        if recent.count >= recentLimit { mergeRecent() }
        return true
    }

    mutating func insert<Keys: Sequence>(contentsOf keys: Keys) where Keys.Element == RecordKey {
        for key in keys { insert(key) }
    }

    /// Every key, in ascending order (high, then low).
    mutating func sorted() -> FlattenSequence<[[RecordKey]]> {
        mergeRecent()
        return blocks.joined()
    }

    static func less(_ a: RecordKey, _ b: RecordKey) -> Bool {
        a.high != b.high ? a.high < b.high : a.low < b.low
    }

    private func sortedContains(_ key: RecordKey) -> Bool {
        // The last block whose first key is at most `key`.
        var low = 0
        var high = firstKeys.count
        while low < high {
            let middle = (low + high) / 2
            if Self.less(key, firstKeys[middle]) { high = middle } else { low = middle + 1 }
        }
        guard low > 0 else { return false }
        return blocks[low - 1].withUnsafeBufferPointer { block in
            var low = 0
            var high = block.count
            while low < high {
                let middle = (low + high) / 2
                if Self.less(block[middle], key) { low = middle + 1 } else { high = middle }
            }
            return low < block.count && block[low] == key
        }
    }

    /// Sorts `recent` into the blocks: a merge of two sorted sequences into new full blocks,
    /// each old block freed as soon as it has been read.
    private mutating func mergeRecent() {
        guard !recent.isEmpty else { return }
        let incoming = recent.sorted(by: Self.less)
        recent.removeAll(keepingCapacity: true)
        var merged: [[RecordKey]] = []
        merged.reserveCapacity((sortedCount + incoming.count) / blockKeys + 1)
        var output: [RecordKey] = []
        output.reserveCapacity(blockKeys)
        let blockKeys = blockKeys
        func emit(_ key: RecordKey) {
            output.append(key)
            if output.count == blockKeys {
                merged.append(output)
                output = []
                output.reserveCapacity(blockKeys)
            }
        }
        var next = 0
        for index in blocks.indices {
            let block = blocks[index]
            blocks[index] = []
            for key in block {
                while next < incoming.count && Self.less(incoming[next], key) {
                    emit(incoming[next])
                    next += 1
                }
                emit(key)
            }
        }
        while next < incoming.count {
            emit(incoming[next])
            next += 1
        }
        if !output.isEmpty { merged.append(output) }
        blocks = merged
        firstKeys = blocks.map { $0[0] }
        sortedCount += incoming.count
    }
}
