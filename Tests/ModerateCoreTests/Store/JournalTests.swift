@testable import ModerateCore
import Testing

/// The journal is read through a window, never whole: these read journals with windows much
/// smaller than their entries and check the result against what the entries say.
@Suite struct JournalTests {
    func keys(_ prefix: String, _ count: Int) -> [RecordKey] {
        (0..<count).map { RecordKey.comment(id: "\(prefix)\($0)") }
    }

    /// Committed batches of 1, 300 and 40 keys, then an unfinished one of 5.
    func journal() -> (bytes: [UInt8], batches: [[RecordKey]], ends: [Int], unfinishedStart: Int) {
        let batches = [keys("a", 1), keys("b", 300), keys("c", 40)]
        var bytes: [UInt8] = []
        var ends: [Int] = []
        for (number, batch) in batches.enumerated() {
            bytes += Journal.encodeIntent(Journal.Intent(sizesBefore: [UInt64(number), 0, 0, 0], keys: batch))
            bytes += Journal.encodeCommit()
            ends.append(bytes.count)
        }
        let unfinishedStart = bytes.count
        bytes += Journal.encodeIntent(Journal.Intent(sizesBefore: [7, 8, 9, 10], keys: keys("d", 5)))
        return (bytes, batches, ends, unfinishedStart)
    }

    func read(_ bytes: [UInt8], windowBytes: Int) throws -> (Journal.State, [RecordKey]) {
        var committed: [RecordKey] = []
        let state = try Journal.read(length: bytes.count, windowBytes: windowBytes,
                                     readAt: { Array(bytes[$0..<$0 + $1]) }, committed: { committed.append($0) })
        return (state, committed)
    }

    @Test(arguments: [1, 64, 100, 1_000, 1 << 20])
    func aJournalReadThroughAnyWindowGivesTheCommittedKeys(windowBytes: Int) throws {
        let (bytes, batches, _, unfinishedStart) = journal()
        let (state, committed) = try read(bytes, windowBytes: windowBytes)
        #expect(committed == batches.flatMap { $0 })
        #expect(state.committedKeys == 341)
        #expect(state.unfinished?.sizesBefore == [7, 8, 9, 10])
        #expect(state.unfinished?.keyCount == 5)
        #expect(state.validLength == bytes.count)
        #expect(state.unfinishedOffset == unfinishedStart)
        #expect(state.tornBytes == 0)
        #expect(state.entries == 7)
    }

    /// Cut anywhere, the journal gives exactly the batches whose commit is whole.
    @Test func aJournalCutAtAnyByteGivesTheBatchesCommittedBeforeTheCut() throws {
        let (bytes, batches, ends, _) = journal()
        for length in 0...bytes.count {
            let (state, committed) = try read(Array(bytes.prefix(length)), windowBytes: 97)
            let whole = ends.filter { $0 <= length }.count
            #expect(committed == batches.prefix(whole).flatMap { $0 }, "cut at \(length)")
            #expect(state.validLength + state.tornBytes == length)
            #expect(state.unfinishedOffset <= state.validLength)
            if state.unfinished == nil { #expect(state.unfinishedOffset == state.validLength) }
        }
    }

    @Test func aDamagedEntryEndsTheJournalThere() throws {
        let (bytes, batches, ends, _) = journal()
        var damaged = bytes
        damaged[ends[0] + 20] ^= 0x01 // inside the second intent's keys
        let (state, committed) = try read(damaged, windowBytes: 128)
        #expect(committed == batches[0])
        #expect(state.validLength == ends[0])
        #expect(state.tornBytes == bytes.count - ends[0])
    }

    @Test func anIntentWrittenInPiecesIsTheSameAsOneWrittenWhole() throws {
        let many = keys("k", 10_000)
        var pieces: [[UInt8]] = []
        try Journal.writeIntent(sizesBefore: [1, 2, 3, 4], keyCount: many.count,
                                forEachKey: { body in for key in many { try body(key) } }) { pieces.append($0) }
        #expect(pieces.count > 1)
        #expect(pieces.allSatisfy { $0.count < 70_000 })
        #expect(pieces.flatMap { $0 } == Journal.encodeIntent(Journal.Intent(sizesBefore: [1, 2, 3, 4], keys: many)))
    }
}
