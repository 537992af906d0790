import Foundation
@testable import ModerateCore
import Testing

@Suite struct HumanDecisionTests {
    @Test func aLineReadsBackAsTheDecisionItWasWrittenFrom() throws {
        let decision = HumanDecision(id: "c\"1\n\u{1B}[2J", from: .hold, to: .reject, who: "ana",
                                     when: "2026-12-03T10:00:00Z", fingerprint: "sha256:ab", isUndo: false)
        let line = decision.jsonLine
        #expect(line.last == 0x0A)
        #expect(line.dropLast().contains(0x0A) == false)  // one line, whatever the id holds
        #expect(try HumanDecision(jsonLine: line.dropLast()) == decision)
        var undo = decision
        undo.from = .reject
        undo.to = .hold
        undo.isUndo = true
        #expect(try HumanDecision(jsonLine: undo.jsonLine.dropLast()) == undo)
    }

    @Test func theLastLineOfAnIDIsItsState() {
        let text = """
            {"id":"a","from":"hold","to":"approve","who":"ana","when":"t1"}
            {"id":"b","from":"hold","to":"reject","who":"ana","when":"t2"}
            {"id":"a","from":"approve","to":"hold","who":"ana","when":"t3","undo":true}
            {"id":"c","from":"hold","to":"reject","when":"t4"}

            """
        let history = DecisionHistory(text: Array(text.utf8))
        #expect(history.decidedIDs == ["a", "b"])
        #expect(history.latest(for: "a")?.to == .hold)
        #expect(history.latest(for: "a")?.isUndo == true)
        #expect(history.latest(for: "b")?.to == .reject)
        #expect(history.latest(for: "c") == nil)
        #expect(history.refused.map(\.line) == [4])
        #expect(history.refused.first?.problem == .noWho)
    }
}
