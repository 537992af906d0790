import Foundation
@testable import ModerateCore
import Testing

@Suite struct ModeratorDecisionsTests {
    @Test func peoplesApprovesAndRejectsBecomeLabelsAndTheLastWins() {
        let text = """
            {"id":"c1","from":"hold","to":"reject","who":"ana","when":"2026-12-01T10:00:00Z","fingerprint":"f"}
            {"id":"c2","from":"hold","to":"approve","who":"ben","when":"2026-12-01T10:01:00Z","fingerprint":"f"}
            {"id":"c1","from":"reject","to":"approve","who":"ben","when":"2026-12-01T11:00:00Z","fingerprint":"f"}
            {"id":"c3","from":"hold","to":"reject","when":"2026-12-01T11:00:00Z"}
            {"id":"c4","from":"hold","to":"approve","who":"ana"}
            {"id":"c4","from":"approve","to":"hold","who":"ana","undo":true}
            {"id":"c5","from":"hold","to":"spam","who":"ana"}
            not json

            """
        let decisions = ModeratorDecisions(decisionsText: Array(text.utf8))
        #expect(decisions.labels.map(\.id) == ["c1", "c2"])
        #expect(decisions.labels.map(\.isSpam) == [false, false])
        #expect(decisions.refused.map(\.line) == [4, 7, 8])
        #expect(decisions.refused[0].reason.contains("who"))
        #expect(decisions.refused[1].reason.contains("'to'"))
    }

    @Test func decidedCommentsAreFoundInTheQueueFiles() throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("moderate-decisions-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        try #"{"id":"c1","body":"Win a free cruise","moderation":{"decision":"hold"}}"#.appending("\n")
            .write(to: directory.appendingPathComponent("hold.jsonl"), atomically: true, encoding: .utf8)
        let decisions = """
            {"id":"c1","from":"hold","to":"reject","who":"ana"}
            {"id":"gone","from":"hold","to":"approve","who":"ana"}

            """
        try decisions.write(to: directory.appendingPathComponent("decisions.jsonl"), atomically: true, encoding: .utf8)
        let loaded = try ModeratorDecisions.load(queueDirectory: directory.path)
        #expect(loaded.comments.count == 1)
        #expect(loaded.comments.first?.0[.body] == "Win a free cruise")
        #expect(loaded.comments.first?.1 == true)
        #expect(loaded.missing == ["gone"])
    }
}
