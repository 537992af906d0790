import Dispatch

/// How many comments of the whole input share each normalised body, counted in a pass over
/// the inputs before any comment is decided: with it the `same_body` signal of the first copy
/// of a flood is as high as that of the last (README, "Copies across the whole input").
///
/// Only regular files (plain or gzip) can be read twice; standard input and pipes are not
/// counted ahead, and their comments are counted as they come (`BatchSignalTracker`).
///
/// Memory is bounded and small: a fixed open-addressing table of the bodies' 64-bit keys and a
/// 32-bit tag of the record that brought each (12 bytes a slot), sized for the input up to
/// 2^19 slots (6 MiB, at most `maximumBodies` bodies), and a dictionary of the counts of the
/// bodies met more than once (`maximumRepeatedBodies`, 1 MiB): most bodies of an input are met
/// once. Below both bounds the counts are exact (as exact as the 64-bit key). A body first met
/// when the first table is full, or met again when the second one is, is left out, and its
/// copies are counted as they come: past the bounds a count can only be lower, never higher.
public struct BodyCopyCounts: Sendable {
    /// Copies of one body met more than once, and the last record counted for it: the same
    /// record met again (an export read twice, or overlapping exports) is one comment, not a copy.
    private struct Entry {
        var copies: UInt32
        var lastRecord: UInt32
    }

    /// The keys of every body counted, by open addressing (linear probing); 0 is an empty slot
    /// (a key of 0 is kept as 1). Allocated on the first add, at the size `reserve` asked for.
    private var keys: [UInt64] = []
    /// Beside each key: the tag of the record of a body met once (`tag(of:)`), or
    /// `repeatedTag` (its count is in `repeated`), or `leftOutTag` (counted as they come).
    private var tags: [UInt32] = []
    private var stored = 0
    private var reservedCapacity = 0
    private var repeated: [UInt64: Entry] = [:]
    /// Inputs read ahead, and inputs whose comments are counted as they come (stdin, pipes).
    public private(set) var inputsCounted = 0
    public private(set) var inputsNotCounted = 0
    /// Comments whose body was left out: counted as they come.
    public private(set) var commentsLeftOut = 0

    /// 7/8 of 2^19 slots: the table's 6 MiB holds as many distinct bodies as this.
    public static let maximumBodies = 458_752
    /// 3/4 of 2^16 slots: the dictionary of bodies met more than once takes 1 MiB.
    public static let maximumRepeatedBodies = 49_152
    private let maximumBodies: Int
    private let maximumRepeatedBodies: Int
    /// The most slots: the least power of two of which 7/8 holds `maximumBodies`.
    private let maximumCapacity: Int

    static let repeatedTag: UInt32 = 0xFFFF_FFFF
    static let leftOutTag: UInt32 = 0xFFFF_FFFE

    /// A body with fewer letters than this, once normalised, is everyday talk ("wow",
    /// "first!", "thanks", "I love this song", emoji): real people write it independently,
    /// so its copies are never counted, ahead or as they come. In the labelled corpora most
    /// texts that real people repeat are that short ("I love this song", 13 letters), and
    /// the floods are longer ("check out this video on youtube:", 26).
    public static let minimumLetters = 16

    /// The bounds are smaller only in tests.
    public init(maximumBodies: Int = BodyCopyCounts.maximumBodies,
                maximumRepeatedBodies: Int = BodyCopyCounts.maximumRepeatedBodies) {
        self.maximumBodies = max(1, maximumBodies)
        self.maximumRepeatedBodies = maximumRepeatedBodies
        var capacity = 2
        while capacity * 7 / 8 < self.maximumBodies { capacity *= 2 }
        maximumCapacity = capacity
    }

    public var distinctBodies: Int { stored }
    /// Bodies met more than once (from different records).
    public var repeatedBodies: Int { repeated.count }
    /// Slots of the table now (a power of two, at most 2^19 with the default bound).
    public var capacity: Int { keys.count }
    /// True when every comment of every input was counted ahead.
    public var coversWholeInput: Bool { inputsNotCounted == 0 && commentsLeftOut == 0 }

    /// Sizes the table, before the first body, for about `comments` comments (each could be
    /// a distinct body): no growing on the way. Later calls do nothing.
    mutating func reserve(comments: Int) {
        guard keys.isEmpty else { return }
        reservedCapacity = Self.capacity(for: comments, atMost: maximumCapacity)
    }

    /// The least power of two of which 3/4 holds `bodies`, at most `limit`.
    static func capacity(for bodies: Int, atMost limit: Int) -> Int {
        var capacity = 16
        while capacity < limit && capacity / 4 * 3 < bodies { capacity *= 2 }
        return min(capacity, limit)
    }

    /// The key a normalised body is counted under, or nil when it has too few letters to be
    /// counted as a copy. A hash seeded once per process (`Hasher`): the counts of a run and
    /// its decisions use the same seed, and nobody can craft two bodies that collide.
    static func key(ofNormalizedBody text: String) -> UInt64? {
        var letters = 0
        for scalar in text.unicodeScalars where scalar.isAlphabeticProperty {
            letters += 1
            if letters >= minimumLetters { break }
        }
        guard letters >= minimumLetters else { return nil }
        var hasher = Hasher()
        var text = text
        text.withUTF8 { hasher.combine(bytes: UnsafeRawBufferPointer($0)) }
        return UInt64(bitPattern: Int64(hasher.finalize()))
    }

    /// The tag of the last record counted for a body: 32 bits of its record key, never one
    /// of the two marks.
    static func tag(of record: RecordKey) -> UInt32 {
        let tag = UInt32(truncatingIfNeeded: record.low)
        return tag >= leftOutTag ? tag & 0x7FFF_FFFF : tag
    }

    /// The slot of `key` (already made non-zero), or the empty slot where it would go.
    private func slot(of key: UInt64) -> (index: Int, found: Bool) {
        keys.withUnsafeBufferPointer { keys in
            let mask = keys.count - 1
            var index = Int(truncatingIfNeeded: key) & mask
            while true {
                let stored = keys[index]
                if stored == key { return (index, true) }
                if stored == 0 { return (index, false) }
                index = (index + 1) & mask
            }
        }
    }

    /// Moves every key into a table of `capacity` slots.
    private mutating func resize(to capacity: Int) {
        let oldKeys = keys, oldTags = tags
        keys = [UInt64](repeating: 0, count: capacity)
        tags = [UInt32](repeating: 0, count: capacity)
        for (key, tag) in zip(oldKeys, oldTags) where key != 0 {
            let index = slot(of: key).index
            keys[index] = key
            tags[index] = tag
        }
    }

    /// Counts one comment with this body key; `record` is its `RecordKey`.
    mutating func add(_ key: UInt64, record: RecordKey) {
        let key = key == 0 ? 1 : key
        if keys.isEmpty { resize(to: reservedCapacity > 0 ? reservedCapacity : min(16, maximumCapacity)) }
        var (index, found) = slot(of: key)
        if found {
            let recordTag = Self.tag(of: record)
            switch tags[index] {
            case Self.repeatedTag:
                var entry = repeated[key]!
                guard entry.lastRecord != recordTag else { return }
                entry.copies &+= entry.copies < .max ? 1 : 0
                entry.lastRecord = recordTag
                repeated[key] = entry
            case Self.leftOutTag:
                commentsLeftOut += 1
            case recordTag:
                return  // the same record met again
            default:
                if repeated.count < maximumRepeatedBodies {
                    repeated[key] = Entry(copies: 2, lastRecord: recordTag)
                    tags[index] = Self.repeatedTag
                } else {
                    // Its first comment and this one are both counted as they come.
                    tags[index] = Self.leftOutTag
                    commentsLeftOut += 2
                }
            }
            return
        }
        guard stored < maximumBodies else {
            commentsLeftOut += 1
            return
        }
        if (stored + 1) > keys.count / 4 * 3 && keys.count < maximumCapacity {
            resize(to: keys.count * 2)
            index = slot(of: key).index
        }
        keys[index] = key
        tags[index] = Self.tag(of: record)
        stored += 1
    }

    /// Comments of the whole input with this body key; nil when the body was not counted
    /// ahead (it is then counted as it comes).
    func copies(of key: UInt64) -> Int? {
        guard !keys.isEmpty else { return nil }
        let key = key == 0 ? 1 : key
        let (index, found) = slot(of: key)
        guard found else { return nil }
        switch tags[index] {
        case Self.repeatedTag: return repeated[key].map { Int($0.copies) }
        case Self.leftOutTag: return nil
        default: return 1
        }
    }

    /// Reads every regular file among `readers` once more, from its start, and counts its
    /// comments' bodies. `readers` are not read: each file is opened again by its path, with
    /// the same format and options. Records that are not comments are passed over.
    ///
    /// Records are read on this thread in batches (`batchRecords`, or `batchBytes` of
    /// records: memory stays bounded) and normalised on `jobs` threads, most of the work;
    /// they are counted in input order, so the counts do not depend on `jobs`.
    ///
    /// `stopRequested` is asked after each batch: when it says yes (SIGTERM), the pass ends
    /// with what it counted. The run is then asked to stop too, and decides nothing with
    /// those partial counts: it checks before reading its first comment.
    public static func counting(_ readers: [CommentReader], format: InputFormat?, options: ReadOptions,
                                jobs: Int = 1, stopRequested: () -> Bool = { false }) throws -> BodyCopyCounts {
        var counts = BodyCopyCounts()
        var knownRawBodies: [UInt64: UInt64?] = [:]
        // The bytes to be counted: with the first batch's bytes a record, how many comments
        // the table is sized for (a compressed file's are more; the table then grows).
        let bytesToCount = readers.reduce(0) { total, reader in
            guard let file = reader.file, !file.source.isStandardInput, let size = file.sizeOnDisk else { return total }
            return total + Int(size)
        }
        for reader in readers {
            // Only a regular file has a size on disk; a pipe read again would lose its data.
            // Standard input is never opened again, even redirected from a file (`< export`):
            // `-` opened again is the same descriptor, already read past its start.
            guard let file = reader.file, !file.source.isStandardInput, file.sizeOnDisk != nil else {
                counts.inputsNotCounted += 1
                continue
            }
            let again = try CommentReaders.open(file.source, format: format, options: options)
            var batch: [ReadItem] = []
            var bytes = 0
            while let item = try again.nextUndecoded() {
                batch.append(item)
                bytes += item.byteCount
                if batch.count >= batchRecords || bytes >= batchBytes {
                    counts.reserve(comments: bytesToCount / max(1, bytes / batch.count))
                    counts.add(keys(of: batch, jobs: jobs, known: knownRawBodies), remembering: &knownRawBodies)
                    batch.removeAll(keepingCapacity: true)
                    bytes = 0
                    if stopRequested() {
                        counts.inputsNotCounted += 1
                        return counts
                    }
                }
            }
            if !batch.isEmpty { counts.reserve(comments: bytesToCount / max(1, bytes / batch.count)) }
            counts.add(keys(of: batch, jobs: jobs, known: knownRawBodies), remembering: &knownRawBodies)
            counts.inputsCounted += 1
        }
        return counts
    }

    static let batchRecords = 1_024
    static let batchBytes = 8 << 20
    /// Raw bodies whose key is remembered, so that an exact copy (most of a flood) is not
    /// normalised again: normalising is most of the pass's work. About 3 MiB at most, freed
    /// when the pass ends.
    static let maximumKnownRawBodies = 1 << 16

    /// One comment of a batch, worked out by a worker.
    fileprivate struct CountedComment {
        var record: RecordKey
        /// The hash of the body as written, before normalising.
        var rawBody: UInt64
        /// The body's key; nil when it is too short to count.
        var key: UInt64?
        /// False when the key came from `known` rather than from normalising.
        var normalized: Bool
    }

    /// Counts a batch's comments, in input order, and remembers the keys of the raw bodies it
    /// normalised.
    private mutating func add(_ comments: [CountedComment?], remembering known: inout [UInt64: UInt64?]) {
        for case let comment? in comments {
            if comment.normalized {
                if known.count >= Self.maximumKnownRawBodies { known.removeAll(keepingCapacity: true) }
                known[comment.rawBody] = comment.key
            }
            if let key = comment.key { add(key, record: comment.record) }
        }
    }

    /// Each item's record, raw body hash and key (nil for an item that is not a comment),
    /// worked out on `jobs` threads; a raw body in `known` is not normalised again.
    private static func keys(of items: [ReadItem], jobs: Int, known: [UInt64: UInt64?]) -> [CountedComment?] {
        var comments = [CountedComment?](repeating: nil, count: items.count)
        let workers = max(1, min(jobs, items.count / 64))
        comments.withUnsafeMutableBufferPointer { buffer in
            let slots = CommentSlots(base: buffer.baseAddress)
            // Each worker takes every `workers`-th item: a slot has one writer.
            DispatchQueue.concurrentPerform(iterations: workers) { worker in
                for index in stride(from: worker, to: items.count, by: workers) {
                    guard let (body, record) = bodyAndRecord(of: items[index]) else { continue }
                    let raw = rawHash(body)
                    if let key = known[raw] {
                        slots.base![index] = CountedComment(record: record, rawBody: raw, key: key, normalized: false)
                    } else {
                        let key = key(ofNormalizedBody: TextNormalizer.normalize(body).text)
                        slots.base![index] = CountedComment(record: record, rawBody: raw, key: key, normalized: true)
                    }
                }
            }
        }
        return comments
    }

    private static func rawHash(_ body: String) -> UInt64 {
        var hasher = Hasher()
        var body = body
        body.withUTF8 { hasher.combine(bytes: UnsafeRawBufferPointer($0)) }
        return UInt64(bitPattern: Int64(hasher.finalize()))
    }

    /// A record's body and key. For a JSON line only its `body` and `id` are read, not the
    /// whole record; a line without an id (its key derives from every field), or one the fast
    /// reader declines, is decoded as the run decodes it.
    static func bodyAndRecord(of item: ReadItem) -> (body: String, record: RecordKey)? {
        if case .jsonLine(let line, _, _) = item, String(validating: line, as: UTF8.self) != nil,
           let fields = FlatJSONObject.fields([.body, .id], in: line),
           let body = fields[.body], let id = fields[.id], !id.isEmpty {
            return (body, RecordKey.comment(id: id))
        }
        guard case .comment(let input) = item.decode(), let body = input.comment[.body] else { return nil }
        return (body, RecordKey.comment(input.comment))
    }
}

/// Lets the pass's workers write disjoint slots of one array.
private struct CommentSlots: @unchecked Sendable {
    let base: UnsafeMutablePointer<BodyCopyCounts.CountedComment?>?
}

/// How a run counted copies for `same_body`, for its summary.
public enum CopyCounting: String, Sendable {
    /// Every comment's body was counted ahead: the first copy of a flood is caught as the last.
    case wholeInput = "whole_input"
    /// Some were counted as they came: standard input or a pipe among the inputs, or bodies
    /// past `BodyCopyCounts.maximumBodies`.
    case partlyAsTheyCome = "partly_as_they_come"
    /// Nothing was counted ahead (standard input only).
    case asTheyCome = "as_they_come"

    public init(_ counts: BodyCopyCounts?) {
        guard let counts, counts.inputsCounted > 0 || counts.distinctBodies > 0 else {
            self = .asTheyCome
            return
        }
        self = counts.coversWholeInput ? .wholeInput : .partlyAsTheyCome
    }
}
