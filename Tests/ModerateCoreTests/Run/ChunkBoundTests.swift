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
            if end { return chunks }
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
}
