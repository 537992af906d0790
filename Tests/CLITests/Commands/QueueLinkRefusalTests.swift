import Foundation
import Testing

/// `moderate run` on a queue directory with a planted link exits 74 naming the path and the
/// reason, and writes nothing (README, "Security").
@Suite struct QueueLinkRefusalTests {
    @Test func aSymlinkedApproveQueueExits74AndItsTargetIsUnchanged() throws {
        let scratch = try scratchDirectory()
        let target = scratch.appendingPathComponent("outside.txt")
        try Data("keep me\n".utf8).write(to: target)
        let queues = scratch.appendingPathComponent("queues")
        try FileManager.default.createDirectory(at: queues, withIntermediateDirectories: false)
        let link = queues.appendingPathComponent("approve.jsonl")
        try FileManager.default.createSymbolicLink(atPath: link.path, withDestinationPath: target.path)

        let result = try Moderate.run(["run", "--queues", queues.path, "fixtures/film-blog.jsonl"])
        #expect(result.status == 74)
        #expect(result.stderr.contains(link.path), "\(result.stderr)")
        #expect(result.stderr.contains("symbolic link"), "\(result.stderr)")
        #expect(FileManager.default.contents(atPath: target.path) == Data("keep me\n".utf8))
        // No lock, journal or other queue file was made.
        #expect(try FileManager.default.contentsOfDirectory(atPath: queues.path) == ["approve.jsonl"])
    }

    @Test func aSymlinkedJournalExits74AndItsTargetIsNotTruncated() throws {
        let scratch = try scratchDirectory()
        let target = scratch.appendingPathComponent("outside.txt")
        try Data("keep me\n".utf8).write(to: target)
        let state = scratch.appendingPathComponent("queues/.moderate")
        try FileManager.default.createDirectory(at: state, withIntermediateDirectories: true)
        try FileManager.default.createSymbolicLink(atPath: state.appendingPathComponent("journal").path, withDestinationPath: target.path)

        let result = try Moderate.run(["run", "--queues", scratch.appendingPathComponent("queues").path, "fixtures/film-blog.jsonl"])
        #expect(result.status == 74)
        #expect(result.stderr.contains("journal: refused: is a symbolic link"), "\(result.stderr)")
        #expect(FileManager.default.contents(atPath: target.path) == Data("keep me\n".utf8))
        #expect(try FileManager.default.contentsOfDirectory(atPath: scratch.appendingPathComponent("queues").path) == [".moderate"])
    }
}
