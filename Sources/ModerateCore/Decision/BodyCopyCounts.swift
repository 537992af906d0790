import Dispatch

/// How many comments of the whole input share each normalised body, counted in a pass over
/// the inputs before any comment is decided: with it the `same_body` signal of the first copy
/// of a flood is as high as that of the last (README, "Copies across the whole input").
///
/// Only regular files (plain or gzip) can be read twice; standard input and pipes are not
/// counted ahead, and their comments are counted as they come (`BatchSignalTracker`).
///
/// Memory is bounded: one table entry (8 bytes of hash, 8 of count and record) per distinct
/// body, at most `maximumBodies` of them (about 32 MiB with the table's slack). A body first
/// met when the table is full is left out, and its copies are counted as they come.
public struct BodyCopyCounts: Sendable {
    /// Copies of one body, and the last record counted for it: the same record met again
    /// (an export read twice, or overlapping exports) is one comment, not a copy.
    private struct Entry {
        var copies: UInt32
        var lastRecord: UInt32
    }

    private var table: [UInt64: Entry] = [:]
    /// Inputs read ahead, and inputs whose comments are counted as they come (stdin, pipes).
    public private(set) var inputsCounted = 0
    public private(set) var inputsNotCounted = 0
    /// Comments whose body was first met when the table was full: counted as they come.
    public private(set) var commentsLeftOut = 0

    /// One entry is 16 bytes; a dictionary of a million entries takes 2^21 slots: 32 MiB.
    public static let maximumBodies = 1 << 20
    private let maximumBodies: Int

    /// A body with fewer letters than this, once normalised, is everyday talk ("wow",
    /// "first!", "thanks", "I love this song", emoji): real people write it independently,
    /// so its copies are never counted, ahead or as they come. In the labelled corpora most
    /// texts that real people repeat are that short ("I love this song", 13 letters), and
    /// the floods are longer ("check out this video on youtube:", 26).
    public static let minimumLetters = 16

    /// `maximumBodies` is smaller only in tests.
    public init(maximumBodies: Int = BodyCopyCounts.maximumBodies) {
        self.maximumBodies = maximumBodies
    }

    public var distinctBodies: Int { table.count }
    /// True when every comment of every input was counted ahead.
    public var coversWholeInput: Bool { inputsNotCounted == 0 && commentsLeftOut == 0 }

    /// The key a normalised body is counted under, or nil when it has too few letters to be
    /// counted as a copy. A hash seeded once per process (`Hasher`): the counts of a run and
    /// its decisions use the same seed, and nobody can craft two bodies that collide.
    static func key(ofNormalizedBody text: String) -> UInt64? {
        var letters = 0
        for scalar in text.unicodeScalars where scalar.properties.isAlphabetic {
            letters += 1
            if letters >= minimumLetters { break }
        }
        guard letters >= minimumLetters else { return nil }
        var hasher = Hasher()
        var text = text
        text.withUTF8 { hasher.combine(bytes: UnsafeRawBufferPointer($0)) }
        return UInt64(bitPattern: Int64(hasher.finalize()))
    }

    /// Counts one comment with this body key; `record` is its `RecordKey`.
    mutating func add(_ key: UInt64, record: RecordKey) {
        let recordTag = UInt32(truncatingIfNeeded: record.low)
        if var entry = table[key] {
            guard entry.lastRecord != recordTag else { return }
            entry.copies &+= entry.copies < .max ? 1 : 0
            entry.lastRecord = recordTag
            table[key] = entry
        } else if table.count < maximumBodies {
            table[key] = Entry(copies: 1, lastRecord: recordTag)
        } else {
            commentsLeftOut += 1
        }
    }

    /// Comments of the whole input with this body key; nil when the body was not counted
    /// ahead (it is then counted as it comes).
    func copies(of key: UInt64) -> Int? {
        table[key].map { Int($0.copies) }
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
                    counts.add(keys(of: batch, jobs: jobs, known: knownRawBodies), remembering: &knownRawBodies)
                    batch.removeAll(keepingCapacity: true)
                    bytes = 0
                    if stopRequested() {
                        counts.inputsNotCounted += 1
                        return counts
                    }
                }
            }
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
