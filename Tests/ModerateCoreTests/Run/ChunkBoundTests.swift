@testable import ModerateCore
import Testing

/// A chunk of records closes at its record count or at its bytes, whichever comes first, so
/// that big records are not read 1,024 at a time (README, "Memory").
@Suite struct ChunkBoundTests {
    /// Gives JSON lines of the given lengths, undecoded.
    final class Lines: CommentReader {
        var lengths: [Int]
        init(_ lengths: [Int]) { self.lengths = lengths }
        func next() throws -> InputItem? { try nextUndecoded()?.decode() }
        func nextUndecoded() throws -> ReadItem? {
            guard !lengths.isEmpty else { return nil }
            return .jsonLine(line: [UInt8](repeating: 0x20, count: lengths.removeFirst()), source: "test", lineNumber: 1)
        }
    }

    /// The byte lengths of each chunk's records, chunk by chunk.
    static func chunks(_ lengths: [Int], _ bound: ChunkBound) throws -> [[Int]] {
        var reader = ChunkReader(Lines(lengths), bound: bound)
        var chunks: [[Int]] = []
        while true {
            let (chunk, end) = try reader.next()
            if !chunk.isEmpty { chunks.append(chunk.map(\.byteCount)) }
            if end == .endOfInput { return chunks }
        }
    }

    @Test func smallRecordsCloseAtTheRecordCount() throws {
        let chunks = try Self.chunks(Array(repeating: 300, count: 2_500), ChunkBound())
        #expect(chunks.map(\.count) == [1_024, 1_024, 452])
    }

    @Test func bigRecordsCloseByBytes() throws {
        let megabyte = 1 << 20
        let chunks = try Self.chunks(Array(repeating: megabyte, count: 20), ChunkBound(records: 1_024, bytes: 8 * megabyte))
        #expect(chunks.map(\.count) == [8, 8, 4])
        #expect(chunks.allSatisfy { $0.reduce(0, +) <= 8 * megabyte })
    }

    /// A record larger than the byte bound is a chunk of its own, and the records around it
    /// are neither lost nor reordered.
    @Test func aRecordOverTheBoundIsAChunkOfItsOwn() throws {
        let lengths = [10, 20, 100, 30, 40, 50, 200, 60]
        let chunks = try Self.chunks(lengths, ChunkBound(records: 1_024, bytes: 90))
        #expect(chunks == [[10, 20], [100], [30, 40], [50], [200], [60]])
        #expect(chunks.flatMap { $0 } == lengths)
    }

    @Test func recordsAndBytesBoundTogether() throws {
        let chunks = try Self.chunks([1, 1, 1, 5, 5, 1], ChunkBound(records: 2, bytes: 6))
        #expect(chunks == [[1, 1], [1, 5], [5, 1]])
    }

    /// A stop request ends the chunk before the next record is read: what was read is
    /// returned (to be decided and committed), and the record after it is not taken.
    @Test func aStopRequestEndsTheChunkBeforeTheNextRecord() throws {
        let lines = Lines([1, 2, 3, 4])
        var reader = ChunkReader(lines, bound: ChunkBound(records: 2, bytes: 100))
        let stop = StopRequest()
        let (first, firstEnd) = try reader.next(unless: stop)
        #expect(first.map(\.byteCount) == [1, 2] && firstEnd == .more)
        stop.request()
        let (second, secondEnd) = try reader.next(unless: stop)
        #expect(second.isEmpty && secondEnd == .stopped)
        #expect(lines.lengths == [3, 4])
    }
}
