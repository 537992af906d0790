/// The set of record keys already in a queue: `QueueStore`'s exactly-once index. The keys
/// sit sorted in a scratch file on disk; memory holds a fixed-size part, whatever the count,
/// so a run's memory does not grow with the queue directory.
///
/// Layout:
/// - The file: every key not in `recent`, sorted (high, then low), 16 bytes each, big-endian
///   high then low (like `RecordKey.bytes`), in pages of `pageKeys` keys (4 KiB by default).
///   It is scratch: created owner-only in the queue directory's state folder with a new
///   name, and unlinked at once, so no other process can open it and a killed run leaves
///   nothing behind. The journal stays the truth; `QueueStore` rebuilds this index from it at
///   every start.
/// - `fences`: the first key of every page, 16 bytes a page (1/256 of the file).
/// - `recent`: keys not yet in the file, a `Set` of at most `recentLimit` keys (fixed: a
///   1 MiB table by default). When it fills it is sorted and merged with the file into a
///   new scratch file, streamed in pieces of 256 KiB, which then replaces the old one.
///
/// A lookup is `recent`, then `mayHold`, then a binary search of the fences, then one
/// `pread` of one page and a binary search inside it. `mayHold` is a fixed bitmap (512 KiB)
/// with the bit of every key ever added set (a key's bit: its low 22 bits; keys are SHA-256,
/// so the bits are uniform): a new key whose bit is clear needs no read. It spares the read
/// for about 98% of new keys at 100k keys in the index, 79% at a million.
///
/// Exact, like the `Set` it replaces: it holds the full 128-bit keys and compares all 128
/// bits, so it never answers "already queued" for a key that is not (that would lose a
/// comment) and never misses one that is (that would route it twice). A key is in `recent`
/// or in the file, never both (`insert` checks both first, and a merge moves all of `recent`
/// into the file before emptying it); the file is sorted, and the page a key would be on is
/// the last whose first key is at most it, so a key is in the index if and only if one of
/// the two lookups finds it. An I/O error is thrown, never taken as "absent".
///
/// The trade-off: every merge rewrites the whole file, so n keys cost about n²/(2·recentLimit)
/// keys of sequential I/O (mostly the kernel's page cache), not n. At 1 M keys that is about
/// 20 merges of at most 16 MB: a fraction of a second (opening a queue directory of a million
/// records takes as long as with the keys in memory). At 10 M keys it is about 200 merges of
/// up to 160 MB, some seconds, a few percent of a run that long. Growing `recent` with the
/// index would make it linear, and memory grow with the index again.
///
/// Threads: `contains` may be called from several threads at once while nothing inserts (it
/// reads `recent`, the fences and the file with `pread` into a buffer of its own, and
/// changes nothing). `insert`, `insert(contentsOf:)`, `forEachSorted` and `sorted` (which
/// merge) must not overlap with any other call. Hence `@unchecked Sendable`: the compiler
/// cannot check this rule, the caller must keep it.
final class KeyIndex: @unchecked Sendable {
    /// 256 keys: one 4 KiB page of the file a lookup.
    static let pageKeys = 256
    /// A `Set`'s table is a power of two at most three-quarters full: 49,152 keys fill one of
    /// 65,536 buckets (1 MiB) as far as it goes. Measured against 98,304 (2 MiB): peak memory
    /// of a run about 1 MB lower, no difference in time at a million keys.
    static let recentLimit = 3 << 14
    /// Keys read or written at once while merging or listing (256 KiB).
    static let streamKeys = 1 << 14

    let pageKeys: Int
    let recentLimit: Int
    /// Where the scratch files are made.
    private let directory: String
    /// The sorted keys, `sortedCount` of them, unlinked.
    private var file: PosixFile
    private var sortedCount = 0
    /// `fences[i]`: the first key of page `i` of the file.
    private var fences: [RecordKey] = []
    /// Keys not yet in the file.
    private var recent: Set<RecordKey>
    /// Bit `key.low % mayHoldBits` is set for every key added; never cleared.
    private var mayHold = [UInt64](repeating: 0, count: KeyIndex.mayHoldBits / 64)
    static let mayHoldBits = 1 << 22

    /// `directory` must exist; the scratch files go there. Smaller `pageKeys` and
    /// `recentLimit` are for tests (more pages, more merges).
    init(directory: String, pageKeys: Int = KeyIndex.pageKeys, recentLimit: Int = KeyIndex.recentLimit) throws {
        precondition(pageKeys > 0 && recentLimit > 0)
        self.directory = directory
        self.pageKeys = pageKeys
        self.recentLimit = recentLimit
        file = try Self.scratchFile(in: directory)
        recent = Set(minimumCapacity: recentLimit)
    }

    var count: Int { sortedCount + recent.count }
    var isEmpty: Bool { count == 0 }

    /// Bytes of memory the index holds between merges: the fences and `recent`'s table. Not
    /// the file (on disk, or in the kernel's page cache, which is not the process's memory).
    /// A merge needs about `16 * recentLimit` more bytes, and 512 KiB of buffers, while it runs.
    var memoryBytesEstimate: Int {
        MemoryLayout<RecordKey>.stride * (fences.capacity + recent.capacity * 4 / 3) + 8 * mayHold.count
    }

    /// False if `key` was never added; true if it may have been.
    private func mayHold(_ key: RecordKey) -> Bool {
        let bit = Int(truncatingIfNeeded: key.low) & (Self.mayHoldBits - 1)
        return mayHold[bit >> 6] & (1 << UInt64(bit & 63)) != 0
    }

    func contains(_ key: RecordKey) throws -> Bool {
        if recent.contains(key) { return true }
        guard mayHold(key), let page = page(of: key) else { return false }
        if fences[page] == key { return true }
        let keys = keyCount(onPage: page)
        return try withUnsafeTemporaryAllocation(byteCount: 16 * keys, alignment: 16) { buffer in
            try file.read(at: UInt64(16 * page * pageKeys), into: buffer)
            return Self.search(key, in: UnsafeRawBufferPointer(buffer))
        }
    }

    /// Adds `key`; false if it was already there.
    @discardableResult
    func insert(_ key: RecordKey) throws -> Bool {
        guard try !contains(key) else { return false }
        try addNew(key)
        return true
    }

    /// Adds the keys, looking them up in sorted order so that keys on one page cost one read.
    /// Returns how many were new. Holds the new keys in an array meanwhile: hand it batches.
    @discardableResult
    func insert<Keys: Sequence>(contentsOf keys: Keys) throws -> Int where Keys.Element == RecordKey {
        var incoming = keys.filter { !recent.contains($0) }
        incoming.sort(by: Self.less)
        // Looked up before adding any, since adding may merge and change the file.
        var new: [RecordKey] = []
        try withUnsafeTemporaryAllocation(byteCount: 16 * pageKeys, alignment: 16) { buffer in
            var loadedPage = -1
            var loaded = UnsafeRawBufferPointer(start: nil, count: 0)
            for (position, key) in incoming.enumerated() {
                if position > 0 && incoming[position - 1] == key { continue }
                if mayHold(key), let page = page(of: key) {
                    if fences[page] == key { continue }
                    if page != loadedPage {
                        let keys = keyCount(onPage: page)
                        let target = UnsafeMutableRawBufferPointer(rebasing: buffer[..<(16 * keys)])
                        try file.read(at: UInt64(16 * page * pageKeys), into: target)
                        loaded = UnsafeRawBufferPointer(target)
                        loadedPage = page
                    }
                    if Self.search(key, in: loaded) { continue }
                }
                new.append(key)
            }
        }
        for key in new { try addNew(key) }
        return new.count
    }

    /// Calls `body` with every key in ascending order (high, then low), read from the file in
    /// pieces after merging `recent` into it.
    func forEachSorted(_ body: (RecordKey) throws -> Void) throws {
        try mergeRecent()
        let pieceKeys = Self.streamKeys
        let buffer = UnsafeMutableRawBufferPointer.allocate(byteCount: 16 * pieceKeys, alignment: 16)
        defer { buffer.deallocate() }
        var done = 0
        while done < sortedCount {
            let count = min(pieceKeys, sortedCount - done)
            try file.read(at: UInt64(16 * done), into: UnsafeMutableRawBufferPointer(rebasing: buffer[..<(16 * count)]))
            for index in 0..<count { try body(Self.key(at: index, in: UnsafeRawBufferPointer(buffer))) }
            done += count
        }
    }

    /// Every key in ascending order, all in memory: for tests and small indexes.
    func sorted() throws -> [RecordKey] {
        var keys: [RecordKey] = []
        keys.reserveCapacity(count)
        try forEachSorted { keys.append($0) }
        return keys
    }

    static func less(_ a: RecordKey, _ b: RecordKey) -> Bool {
        a.high != b.high ? a.high < b.high : a.low < b.low
    }

    private static func scratchFile(in directory: String) throws -> PosixFile {
        try PosixFile(scratchIn: directory, prefix: "index-")
    }

    /// `key`, known to be in neither `recent` nor the file.
    private func addNew(_ key: RecordKey) throws {
        recent.insert(key)
        let bit = Int(truncatingIfNeeded: key.low) & (Self.mayHoldBits - 1)
        mayHold[bit >> 6] |= 1 << UInt64(bit & 63)
        if recent.count >= recentLimit { try mergeRecent() }
    }

    /// The last page whose first key is at most `key`: the only one that can hold it.
    private func page(of key: RecordKey) -> Int? {
        var low = 0
        var high = fences.count
        while low < high {
            let middle = (low + high) / 2
            if Self.less(key, fences[middle]) { high = middle } else { low = middle + 1 }
        }
        return low > 0 ? low - 1 : nil
    }

    private func keyCount(onPage page: Int) -> Int {
        min(pageKeys, sortedCount - page * pageKeys)
    }

    private static func key(at index: Int, in buffer: UnsafeRawBufferPointer) -> RecordKey {
        RecordKey(high: UInt64(bigEndian: buffer.loadUnaligned(fromByteOffset: 16 * index, as: UInt64.self)),
                  low: UInt64(bigEndian: buffer.loadUnaligned(fromByteOffset: 16 * index + 8, as: UInt64.self)))
    }

    private static func store(_ key: RecordKey, at index: Int, in buffer: UnsafeMutableRawBufferPointer) {
        buffer.storeBytes(of: key.high.bigEndian, toByteOffset: 16 * index, as: UInt64.self)
        buffer.storeBytes(of: key.low.bigEndian, toByteOffset: 16 * index + 8, as: UInt64.self)
    }

    /// Whether the sorted keys in `buffer` include `key`.
    private static func search(_ key: RecordKey, in buffer: UnsafeRawBufferPointer) -> Bool {
        var low = 0
        var high = buffer.count / 16
        while low < high {
            let middle = (low + high) / 2
            if less(Self.key(at: middle, in: buffer), key) { low = middle + 1 } else { high = middle }
        }
        return low < buffer.count / 16 && Self.key(at: low, in: buffer) == key
    }

    /// Merges the sorted `recent` with the file into a new scratch file, streamed in pieces,
    /// then swaps to it. Changes nothing if it fails.
    private func mergeRecent() throws {
        guard !recent.isEmpty else { return }
        let incoming = recent.sorted(by: Self.less)
        let total = sortedCount + incoming.count
        let output = try Self.scratchFile(in: directory)
        var newFences: [RecordKey] = []
        newFences.reserveCapacity((total + pageKeys - 1) / pageKeys)
        let pieceKeys = Self.streamKeys
        let input = UnsafeMutableRawBufferPointer.allocate(byteCount: 16 * pieceKeys, alignment: 16)
        defer { input.deallocate() }
        let pending = UnsafeMutableRawBufferPointer.allocate(byteCount: 16 * pieceKeys, alignment: 16)
        defer { pending.deallocate() }
        var written = 0
        var pendingCount = 0
        let pageKeys = pageKeys
        func emit(_ key: RecordKey) throws {
            if (written + pendingCount) % pageKeys == 0 { newFences.append(key) }
            Self.store(key, at: pendingCount, in: pending)
            pendingCount += 1
            if pendingCount == pieceKeys { try flush() }
        }
        func flush() throws {
            try output.write(at: UInt64(16 * written), from: UnsafeRawBufferPointer(rebasing: pending[..<(16 * pendingCount)]))
            written += pendingCount
            pendingCount = 0
        }
        var next = 0
        var read = 0
        while read < sortedCount {
            let count = min(pieceKeys, sortedCount - read)
            try file.read(at: UInt64(16 * read), into: UnsafeMutableRawBufferPointer(rebasing: input[..<(16 * count)]))
            for index in 0..<count {
                let key = Self.key(at: index, in: UnsafeRawBufferPointer(input))
                while next < incoming.count && Self.less(incoming[next], key) {
                    try emit(incoming[next])
                    next += 1
                }
                assert(next == incoming.count || incoming[next] != key, "a key both in recent and in the file")
                try emit(key)
            }
            read += count
        }
        while next < incoming.count {
            try emit(incoming[next])
            next += 1
        }
        if pendingCount > 0 { try flush() }
        precondition(written == total)
        file = output
        fences = newFences
        sortedCount = total
        recent.removeAll(keepingCapacity: true)
    }
}
