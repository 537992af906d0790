import Foundation
@testable import ModerateCore
import Testing

@Suite struct QueueStoreTests {
    func scratchQueues() -> String {
        FileManager.default.temporaryDirectory.appendingPathComponent("moderate-store-\(UUID().uuidString)").path
    }

    func line(_ id: String, _ decision: String = "approve") -> [UInt8] {
        Array(#"{"id":"\#(id)","body":"b","moderation":{"decision":"\#(decision)","id":"\#(id)"}}"#.utf8) + [0x0A]
    }

    func batch(_ ids: [String], to queue: QueueName = .approve) -> QueueCommit {
        var batch = QueueCommit()
        for id in ids { batch.add(line(id, queue.rawValue), to: queue, key: .comment(id: id)) }
        return batch
    }

    func size(_ path: String) throws -> Int {
        try FileManager.default.attributesOfItem(atPath: path)[.size] as! Int
    }

    func append(_ bytes: [UInt8], to path: String) throws {
        let handle = try #require(FileHandle(forWritingAtPath: path))
        try handle.seekToEnd()
        try handle.write(contentsOf: Data(bytes))
        try handle.close()
    }

    @Test func anUnfinishedBatchIsCutBackAndItsRecordsAreNotCountedAsQueued() throws {
        let directory = scratchQueues()
        do {
            let store = try QueueStore(directory: directory)
            try store.commit(batch(["a1", "a2"]))
        }
        let approve = directory + "/approve.jsonl"
        let committedSize = try size(approve)
        // A run dies mid-batch: its intent is in the journal, half a line is in the queue.
        let intent = Journal.Intent(sizesBefore: [UInt64(committedSize), 0, 0, 0],
                                    keys: [.comment(id: "b1"), .comment(id: "b2")])
        try append(Journal.encodeIntent(intent), to: directory + "/.moderate/journal")
        try append(line("b1") + Array(#"{"id":"b2","bo"#.utf8), to: approve)

        let store = try QueueStore(directory: directory)
        #expect(try size(approve) == committedSize)
        #expect(try store.contains(.comment(id: "a1")))
        #expect(try !store.contains(.comment(id: "b1")))
        #expect(store.recordCount == 2)
        // And it keeps working after the repair.
        try store.commit(batch(["b1", "b2"], to: .hold))
        #expect(try store.contains(.comment(id: "b2")))
    }

    @Test func aTornJournalEntryIsCutOff() throws {
        let directory = scratchQueues()
        do { try QueueStore(directory: directory).commit(batch(["a1"])) }
        let journal = directory + "/.moderate/journal"
        let goodSize = try size(journal)
        try append(Array(Journal.encodeIntent(Journal.Intent(sizesBefore: [0, 0, 0, 0], keys: [.comment(id: "x")])).prefix(20)), to: journal)
        let store = try QueueStore(directory: directory)
        #expect(try size(journal) == goodSize)
        #expect(try store.contains(.comment(id: "a1")))
        #expect(try !store.contains(.comment(id: "x")))
    }

    @Test func withoutAJournalTheQueueFilesAreIndexed() throws {
        let directory = scratchQueues()
        do {
            let store = try QueueStore(directory: directory)
            try store.commit(batch(["a1", "a2"]))
            try store.commit(batch(["h1"], to: .hold))
        }
        try FileManager.default.removeItem(atPath: directory + "/.moderate/journal")
        let store = try QueueStore(directory: directory)
        #expect(store.recordCount == 3)
        #expect(try store.contains(.comment(id: "h1")))
    }

    /// Enough records that the rebuilt journal entry is written in several pieces, then read
    /// back by the next run: every record is known once, and nothing else is.
    @Test func aRebuiltIndexOfManyRecordsIsWrittenAndReadBack() throws {
        let directory = scratchQueues()
        let ids = (0..<6_000).map { "r\($0)" }
        do {
            let store = try QueueStore(directory: directory)
            try store.commit(batch(Array(ids[..<4_000])))
            try store.commit(batch(Array(ids[4_000...]), to: .reject))
        }
        // The same record twice by hand: indexed once.
        try append(line("r1"), to: directory + "/approve.jsonl")
        try FileManager.default.removeItem(atPath: directory + "/.moderate/journal")
        do {
            let store = try QueueStore(directory: directory)
            #expect(store.recordCount == ids.count)
        }
        #expect(try size(directory + "/.moderate/journal") > 6_000 * 16)
        let store = try QueueStore(directory: directory)
        #expect(store.recordCount == ids.count)
        #expect(try ids.allSatisfy { try store.contains(.comment(id: $0)) })
        #expect(try !store.contains(.comment(id: "r6000")))
    }

    /// The rebuild writes its one journal entry after indexing; a run killed while writing it
    /// leaves a journal with no commit in it. The queue files are still the truth then.
    @Test func aJournalWithNoCommittedEntryLeftIsRebuiltFromTheQueueFiles() throws {
        let directory = scratchQueues()
        do {
            let store = try QueueStore(directory: directory)
            try store.commit(batch(["a1", "a2"]))
        }
        let journal = directory + "/.moderate/journal"
        try FileManager.default.removeItem(atPath: journal)
        // Torn in its first entry,
        let rebuilt = Journal.encodeIntent(Journal.Intent(sizesBefore: [UInt64(try size(directory + "/approve.jsonl")), 0, 0, 0],
                                                          keys: [.comment(id: "a1"), .comment(id: "a2")]))
        FileManager.default.createFile(atPath: journal, contents: Data(rebuilt.prefix(30)))
        do {
            let store = try QueueStore(directory: directory)
            #expect(try store.contains(.comment(id: "a1")))
            #expect(store.recordCount == 2)
        }
        // or whole but without its commit.
        try Data(rebuilt).write(to: URL(fileURLWithPath: journal))
        let store = try QueueStore(directory: directory)
        #expect(try store.contains(.comment(id: "a2")))
        #expect(store.recordCount == 2)
        #expect(try size(directory + "/approve.jsonl") == line("a1").count + line("a2").count)
    }

    @Test(arguments: [1, 2, 3, 5, 8, 64])
    func aFileIsReadLineByLineAcrossChunks(chunkBytes: Int) throws {
        let path = scratchQueues() + ".txt"
        let text = "one\n\ntwo and more\nthree\r\n\n\nlast without a break"
        try text.write(toFile: path, atomically: false, encoding: .utf8)
        let file = try PosixFile(safelyOpeningForAppend: path)
        // Split as bytes: as a String, "\r\n" is one character.
        let expected = Array(text.utf8).split(separator: 0x0A, omittingEmptySubsequences: false).map(Array.init)
        var lines: [[UInt8]] = []
        try file.forEachLine(chunkBytes: chunkBytes) { lines.append(Array($0)) }
        #expect(lines == expected)
        try (text + "\n").write(toFile: path, atomically: false, encoding: .utf8)
        lines = []
        try file.forEachLine(chunkBytes: chunkBytes) { lines.append(Array($0)) }
        #expect(lines == expected)
    }

    @Test func aQueueFileEditedByHandWithoutItsLastLineBreakGetsOne() throws {
        let directory = scratchQueues()
        do { try QueueStore(directory: directory).commit(batch(["a1"])) }
        try append(Array(#"{"id":"manual","body":"added by hand"}"#.utf8), to: directory + "/approve.jsonl")
        let store = try QueueStore(directory: directory)
        try store.commit(batch(["a2"]))
        let lines = try String(contentsOfFile: directory + "/approve.jsonl", encoding: .utf8).split(separator: "\n")
        #expect(lines.count == 3)
        #expect(lines.allSatisfy { (try? JSONSerialization.jsonObject(with: Data($0.utf8))) != nil })
    }

    @Test func aSecondStoreOnTheSameDirectoryIsRefusedWhileTheFirstIsOpen() throws {
        let directory = scratchQueues()
        let first = try QueueStore(directory: directory)
        #expect(throws: QueueLockedError.self) { try QueueStore(directory: directory) }
        _ = first
    }

    /// A decided chunk's batch appended to the running one keeps every queue's lines in order.
    @Test func aBatchAppendedToAnotherKeepsEachQueuesLinesInOrder() {
        #expect(QueueName.allCases.enumerated().allSatisfy { $0.offset == $0.element.slot })
        var running = QueueCommit()
        running.add(Array("a1\n".utf8), to: .approve, key: .comment(id: "a1"))
        var chunk = QueueCommit()
        chunk.add(Array("r1\n".utf8), to: .reject, key: .comment(id: "r1"))
        chunk.add(Array("a2\n".utf8), to: .approve, key: .comment(id: "a2"))
        chunk.noteApprovedAuthor(.comment(id: "author"))
        running.append(chunk)
        #expect(running.lines(for: .approve) == Array("a1\na2\n".utf8))
        #expect(running.lines(for: .reject) == Array("r1\n".utf8))
        #expect(running.lines(for: .hold).isEmpty)
        #expect(running.recordCount(in: .approve) == 2 && running.recordCount(in: .reject) == 1)
        #expect(running.keys == ["a1", "r1", "a2"].map { RecordKey.comment(id: $0) })
        #expect(running.byteCount == 9 && running.count == 3 && running.approvedAuthors.count == 1)
    }
}
