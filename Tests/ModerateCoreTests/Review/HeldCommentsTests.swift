import Foundation
@testable import ModerateCore
import Testing

@Suite struct HeldCommentsTests {
    @Test func heldCommentsAreTheUndecidedOnesOldestFirstAndFiltered() throws {
        let queues = try heldQueueDirectory(["c1", "c2", "c3"])
        // One more record of another post, on another rule.
        let other = #"{"id":"c4","post":"p2","body":"hi","moderation":{"decision":"hold","id":"c4","fired":[{"rule":"links.new","hits":[]}]}}"#
        let hold = try PosixFile(safelyOpeningForAppend: queues + "/hold.jsonl")
        try hold.write(Array(other.utf8) + [0x0A])
        _ = try DecisionRecorder(queueDirectory: queues, reviewer: "ana").decide(id: "c2", to: .approve)
        let history = try DecisionLog.read(queueDirectory: queues)
        let held = try HeldComments.scan(queueDirectory: queues, history: history)
        #expect(held.map(\.id) == ["c1", "c3", "c4"])
        #expect(try HeldComments.scan(queueDirectory: queues, history: history, filter: ReviewFilter(rule: "links.new")).map(\.id) == ["c4"])
        #expect(try HeldComments.scan(queueDirectory: queues, history: history, filter: ReviewFilter(post: "p1")).map(\.id) == ["c1", "c3"])
        // The offsets lead back to the records.
        let item = try #require(ReviewItem(recordLine: HeldComments.record(held[1], queueDirectory: queues)))
        #expect(item.id == "c3" && item.author == "A c3" && item.body == "buy now c3")
        #expect(item.bodyHighlights == [0..<7])
        #expect(try HeldComments.find(id: "c4", queueDirectory: queues) == held[2])
        #expect(try HeldComments.find(id: "c", queueDirectory: queues) == nil)
    }

    @Test func aDirectoryWithoutHoldQueueHasNothingHeld() throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("moderate-empty-\(UUID().uuidString)").path
        #expect(try HeldComments.scan(queueDirectory: directory, history: DecisionHistory()).isEmpty)
    }
}
