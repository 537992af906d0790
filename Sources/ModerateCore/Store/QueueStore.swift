import Foundation
import Logging

/// The queue directory: `approve.jsonl`, `hold.jsonl`, `reject.jsonl`, `errors.jsonl`, and
/// `.moderate/` with the run lock and the journal. Guarantees (README, "Running from cron"):
/// one run at a time; every record (a comment by id, or a bad input line) lands once across
/// any number of runs; a run killed at any instant leaves no partial line and no half batch
/// once the next run has opened the store. Files are created owner-only, and a link, a file
/// or folder someone else controls is refused before anything is written (README, "Security").
public final class QueueStore {
    public static let stateFolderName = ".moderate"
    public let directory: String
    private let lock: RunLock
    private let files: [QueueName: PosixFile]
    private let journal: PosixFile
    private let knownAuthorsFile: PosixFile
    /// Every record in a queue, by key: sorted in an unlinked scratch file in `.moderate/`,
    /// rebuilt from the journal at every start, with a fixed 1 MB or so in memory (see
    /// `KeyIndex`). Only `commit` and `recover` add to it.
    private let known: KeyIndex
    /// Authors with comments in the approve queue, as of the start of this run.
    private(set) var knownAuthors: Set<RecordKey> = []
    private let logger: Logger

    public init(directory: String, waitForLock: Bool = false, logger: Logger = Logger(label: "moderate.queues")) throws {
        self.directory = directory
        self.logger = logger
        let state = directory + "/" + Self.stateFolderName
        try Self.checkSafeToOpen(directory: directory, state: state)
        try makeDirectory(directory)
        try makeDirectory(state, ancestors: false)
        lock = try RunLock(path: state + "/lock", directory: directory, wait: waitForLock)
        var opened: [QueueName: PosixFile] = [:]
        for queue in QueueName.allCases {
            opened[queue] = try PosixFile(safelyOpeningForAppend: directory + "/" + queue.fileName)
        }
        files = opened
        journal = try PosixFile(safelyOpeningForAppend: state + "/journal")
        knownAuthorsFile = try PosixFile(safelyOpeningForAppend: state + "/known-authors")
        known = try KeyIndex(directory: state)
        try recover()
        knownAuthors = try loadKnownAuthors()
    }

    /// Every file the store opens, checked before any is created or changed, so that a refused
    /// queue directory is left exactly as it was (no lock, journal or queue file made). The
    /// opens check again on the descriptor (`PosixFile(safelyOpeningForAppend:)`), for a
    /// link planted after this.
    private static func checkSafeToOpen(directory: String, state: String) throws {
        try checkDirectoryIsSafe(directory)
        try checkDirectoryIsSafe(state, ancestors: false)
        try checkFileIsSafeToOpen(state + "/lock")
        for queue in QueueName.allCases { try checkFileIsSafeToOpen(directory + "/" + queue.fileName) }
        try checkFileIsSafeToOpen(state + "/journal")
        try checkFileIsSafeToOpen(state + "/known-authors")
    }

    /// Whether a record with this key is already in a queue. Throws if the index cannot be
    /// read. May be called from several threads at once, but not while `commit` runs.
    func contains(_ key: RecordKey) throws -> Bool { try known.contains(key) }

    /// How many records the queues hold, by the journal.
    public var recordCount: Int { known.count }

    /// Appends a batch to the queues, all of it or (after a crash, once the next run has
    /// repaired the directory) none of it.
    func commit(_ batch: QueueCommit) throws { try commit(batch, decisionLine: nil) }

    /// Appends a person's decision: its line of `decisions.jsonl` and the batch (the comment's
    /// record in its new queue), both or (after a crash, once the store is opened again) neither.
    func commit(_ batch: QueueCommit, decisionLine: [UInt8]?) throws {
        guard !batch.isEmpty else { return }
        let decisions = try decisionLine.map { _ in try openDecisions() }
        var sizes = try QueueName.allCases.map { try files[$0]!.size() }
        if let decisions { sizes.append(try decisions.size()) }
        try journal.write(Journal.encodeIntent(Journal.Intent(sizesBefore: sizes, keys: batch.keys)))
        try journal.sync()
        let touched = QueueName.allCases.filter { batch.recordCount(in: $0) > 0 }
        do {
            for queue in touched { try files[queue]!.write(batch.lines(for: queue)) }
            if let decisions, let decisionLine {
                try FaultPoint.reached(.betweenRecordAndDecision)
                try decisions.write(decisionLine)
                try decisions.sync()
            }
            for queue in touched { try files[queue]!.sync() }
        } catch {
            // Put the queues back as they were now, so they are whole even before the next
            // run; if this fails too, the next run does it from the journal.
            for (index, queue) in QueueName.allCases.enumerated() { try? files[queue]!.truncate(to: sizes[index]) }
            if let decisions { try? decisions.truncate(to: sizes[QueueName.allCases.count]) }
            throw error
        }
        // No sync needed: if this entry is lost, the next run redoes the batch.
        try journal.write(Journal.encodeCommit())
        try known.insert(contentsOf: batch.keys)
        // Only a hint for later runs: losing it costs some trust, never a comment.
        if !batch.approvedAuthors.isEmpty { try knownAuthorsFile.write(batch.approvedAuthors.flatMap(\.bytes)) }
    }

    /// `decisions.jsonl`, opened only by a decision (a run never creates it).
    private func openDecisions() throws -> PosixFile {
        let decisions = try PosixFile(safelyOpeningForAppend: directory + "/" + DecisionLog.fileName)
        // A line added by hand without its line break must not take the next decision's.
        if let last = try decisions.lastByte(), last != 0x0A { try decisions.write([0x0A]) }
        return decisions
    }

    /// Read in chunks: the file has an entry per approved comment, repeats included.
    private func loadKnownAuthors() throws -> Set<RecordKey> {
        let size = try knownAuthorsFile.size()
        let whole = size - size % 16
        if whole < size { try knownAuthorsFile.truncate(to: whole) }
        var keys = Set<RecordKey>()
        var offset: UInt64 = 0
        while offset < whole {
            let bytes = try knownAuthorsFile.read(at: offset, count: Int(min(whole - offset, 1 << 16)))
            guard bytes.count >= 16 else { break }
            let used = Self.addKnownAuthors(from: bytes, to: &keys)
            offset += UInt64(used)
        }
        return keys
    }

    /// The known authors a queue directory's `.moderate/known-authors` file holds, read
    /// without changing it (`moderate filter --known-authors`). A torn last key is ignored.
    public static func readKnownAuthors(path: String) throws -> KnownAuthors {
        guard let data = FileManager.default.contents(atPath: path) else {
            throw QueueWriteError(path, "cannot read the known-authors file")
        }
        var keys = Set<RecordKey>()
        _ = addKnownAuthors(from: Array(data), to: &keys)
        return KnownAuthors(keys: keys)
    }

    /// Adds the whole 16-byte keys at the start of `bytes`; returns how many bytes they took.
    static func addKnownAuthors(from bytes: [UInt8], to keys: inout Set<RecordKey>) -> Int {
        var position = 0
        while position + 16 <= bytes.count {
            keys.insert(RecordKey(high: UInt64(bigEndianBytes: bytes[position..<position + 8]),
                                  low: UInt64(bigEndianBytes: bytes[position + 8..<position + 16])))
            position += 16
        }
        return position
    }

    /// Reads the journal and repairs what an interrupted run left; indexes the committed keys.
    private func recover() throws {
        let journalSize = try journal.size()
        if journalSize == 0 {
            return try rebuildFromQueueFiles()
        }
        // Indexed in sorted batches, so that keys on one page of the index cost one read.
        var pending: [RecordKey] = []
        pending.reserveCapacity(Self.recoveryBatchKeys)
        let state = try Journal.read(journal) { key in
            pending.append(key)
            if pending.count == Self.recoveryBatchKeys {
                try known.insert(contentsOf: pending)
                pending.removeAll(keepingCapacity: true)
            }
        }
        try known.insert(contentsOf: pending)
        pending = []
        if let unfinished = state.unfinished {
            for (index, queue) in QueueName.allCases.enumerated() {
                let file = files[queue]!
                let size = try file.size()
                if index < unfinished.sizesBefore.count && size > unfinished.sizesBefore[index] {
                    try file.truncate(to: unfinished.sizesBefore[index])
                    try file.sync()
                    logger.warning("repaired \(file.path) after an interrupted run: cut from \(size) to \(unfinished.sizesBefore[index]) bytes; those \(unfinished.keyCount) records are moderated again")
                }
            }
            // An unfinished person's decision: its line of decisions.jsonl goes too.
            if unfinished.sizesBefore.count > QueueName.allCases.count {
                let decisions = try openDecisions()
                let before = unfinished.sizesBefore[QueueName.allCases.count]
                if try decisions.size() > before {
                    try decisions.truncate(to: before)
                    try decisions.sync()
                    logger.warning("repaired \(decisions.path) after an interrupted decision: the decision is not recorded")
                }
            }
        }
        if state.unfinishedOffset < journalSize {
            try journal.truncate(to: UInt64(state.unfinishedOffset))
            try journal.sync()
            if state.tornBytes > 0 { logger.warning("cut \(state.tornBytes) torn bytes from the end of the journal") }
        }
        // Nothing committed is left (the rebuild below was killed while writing its entry, or
        // the journal is damaged from its start): the queue files, now cut back, are the truth.
        if state.unfinishedOffset == 0 { return try rebuildFromQueueFiles() }
        try endQueueFilesWithNewline()
    }

    /// A queue file edited by hand may lack its last line break; appending to it would glue
    /// the next record onto that line.
    private func endQueueFilesWithNewline() throws {
        for queue in QueueName.allCases {
            let file = files[queue]!
            if let last = try file.lastByte(), last != 0x0A {
                try file.write([0x0A])
                logger.notice("added a missing line break at the end of \(file.path)")
            }
        }
    }

    /// With no journal (a new directory, or one from before journals, or a deleted journal),
    /// the queue files are the truth: index every record in them.
    ///
    /// The files are read line by line, and the journal entry written from the index in
    /// pieces, so this takes no memory for the queue files and only the index's fixed part.
    private func rebuildFromQueueFiles() throws {
        try endQueueFilesWithNewline()
        for queue in QueueName.allCases {
            var lineNumber = 0
            try files[queue]!.forEachLine { line in
                guard !line.isEmpty else { return }
                lineNumber += 1
                guard let object = try? JSONSerialization.jsonObject(with: Data(line)) as? [String: Any] else {
                    logger.warning("\(files[queue]!.path):\(lineNumber): not a JSON record; left as it is, not indexed")
                    return
                }
                if let key = Self.key(ofQueueRecord: object, in: queue) { try known.insert(key) }
                if queue == .approve, let author = RecordKey.knownAuthor(
                    email: object["author_email"] as? String, name: object["author"] as? String, ip: object["ip"] as? String) {
                    try knownAuthorsFile.write(author.bytes)
                }
            }
        }
        guard !known.isEmpty else { return }
        logger.notice("indexed \(known.count) records already in \(directory)")
        let sizes = try QueueName.allCases.map { try files[$0]!.size() }
        try Journal.writeIntent(sizesBefore: sizes, keyCount: known.count, forEachKey: { try known.forEachSorted($0) }) {
            try journal.write($0)
        }
        try journal.write(Journal.encodeCommit())
        try journal.sync()
    }

    /// Keys read from the journal before they are indexed (256 KiB).
    private static let recoveryBatchKeys = 1 << 14

    private static func key(ofQueueRecord object: [String: Any], in queue: QueueName) -> RecordKey? {
        if queue == .errors {
            guard let line = object["line"] as? Int else { return nil }
            let raw = (object["raw_base64"] as? String).flatMap { Data(base64Encoded: $0) }.map(Array.init)
                ?? (object["raw"] as? String).map { Array($0.utf8) } ?? []
            return .inputError(InputError(source: "", line: line, reason: "", raw: raw))
        }
        guard let moderation = object["moderation"] as? [String: Any], let id = moderation["id"] as? String else { return nil }
        // A record a person moved has the key of its decision, not of the comment (which the
        // record the rules queued already has).
        if let review = moderation["review"] as? [String: Any], let line = review["decision_line"] as? Int {
            return .review(id: id, decisionLine: line)
        }
        return .comment(id: id, derived: moderation["id_derived"] as? Bool == true)
    }
}
