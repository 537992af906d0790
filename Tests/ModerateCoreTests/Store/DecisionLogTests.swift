import Foundation
@testable import ModerateCore
import Testing

@Suite struct DecisionLogTests {
    private func directory() throws -> URL {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("moderate-decision-log-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
        return url
    }

    @Test func aDirectoryWithoutTheFileHasNoDecisions() throws {
        #expect(try DecisionLog.read(queueDirectory: directory().path).decisions.isEmpty)
    }

    /// What decisions.jsonl says moves comments between queues: a link planted in its place
    /// (to decisions someone else wrote) is refused, not followed.
    @Test func aLinkInPlaceOfTheFileIsRefused() throws {
        let queues = try directory()
        let elsewhere = try directory().appendingPathComponent("planted.jsonl")
        try Data(HumanDecision(id: "c1", from: .hold, to: .approve, who: "mallory", when: "t").jsonLine).write(to: elsewhere)
        try FileManager.default.createSymbolicLink(atPath: queues.appendingPathComponent(DecisionLog.fileName).path,
                                                   withDestinationPath: elsewhere.path)
        #expect(throws: (any Error).self) { try DecisionLog.read(queueDirectory: queues.path) }
        try FileManager.default.removeItem(at: queues.appendingPathComponent(DecisionLog.fileName))
        try FileManager.default.copyItem(at: elsewhere, to: queues.appendingPathComponent(DecisionLog.fileName))
        #expect(try DecisionLog.read(queueDirectory: queues.path).latest(for: "c1")?.who == "mallory")
    }
}
