import Foundation
@testable import ModerateCore
import Testing

/// A queue directory whose hold.jsonl has the given ids, as `run` writes records.
func heldQueueDirectory(_ ids: [String], email: (String) -> String = { "\($0)@example.org" }) throws -> String {
    let directory = FileManager.default.temporaryDirectory.appendingPathComponent("moderate-review-\(UUID().uuidString)").path
    try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
    let lines = ids.map { id in
        #"{"id":"\#(id)","post":"p1","author":"A \#(id)","author_email":"\#(email(id))","body":"buy now \#(id)","moderation":{"decision":"hold","id":"\#(id)","fired":[{"rule":"spam.test","stage":"spam","score":2,"matches":1,"hits":[{"field":"body","start":0,"end":7,"text":"buy now"}]}],"rules":"sha256:rules1"}}"#
    }
    try (lines.joined(separator: "\n") + "\n").write(toFile: directory + "/hold.jsonl", atomically: false, encoding: .utf8)
    // Index them, as the run that wrote them did.
    _ = try QueueStore(directory: directory)
    return directory
}

func queueLines(_ directory: String, _ name: String) throws -> [[String: Any]] {
    guard let data = FileManager.default.contents(atPath: directory + "/" + name) else { return [] }
    return try data.split(separator: 0x0A).map { try #require(try JSONSerialization.jsonObject(with: Data($0)) as? [String: Any]) }
}

func review(of record: [String: Any]) -> [String: Any]? {
    (record["moderation"] as? [String: Any])?["review"] as? [String: Any]
}

@Suite struct DecisionRecorderTests {
    @Test func approvingWritesTheDecisionAndTheRecordAndTheAuthorBecomesKnown() throws {
        let queues = try heldQueueDirectory(["c1", "c2"])
        let recorder = DecisionRecorder(queueDirectory: queues, reviewer: "ana")
        guard case .recorded(let decision) = try recorder.decide(id: "c1", to: .approve) else { Issue.record("not recorded"); return }
        #expect(decision.from == .hold && decision.to == .approve && decision.who == "ana" && decision.fingerprint == "sha256:rules1")
        let history = try DecisionLog.read(queueDirectory: queues)
        #expect(history.decisions == [decision])
        let approved = try queueLines(queues, "approve.jsonl")
        #expect(approved.count == 1)
        #expect(approved.first?["id"] as? String == "c1")
        #expect(review(of: approved[0])?["from"] as? String == "hold")
        #expect(review(of: approved[0])?["who"] as? String == "ana")
        #expect(review(of: approved[0])?["decision_line"] as? Int == 1)
        // The rules' own record is still in hold.jsonl (append-only), but c1 is no longer held.
        #expect(try queueLines(queues, "hold.jsonl").count == 2)
        #expect(try HeldComments.scan(queueDirectory: queues, history: history).map(\.id) == ["c2"])
        let known = try QueueStore.readKnownAuthors(path: queues + "/.moderate/known-authors")
        #expect(known.keys.contains(RecordKey.knownAuthor(email: "c1@example.org", name: nil, ip: nil)!))
        #expect(!known.keys.contains(RecordKey.knownAuthor(email: "c2@example.org", name: nil, ip: nil)!))
    }

    @Test func rejectingDoesNotMakeTheAuthorKnown() throws {
        let queues = try heldQueueDirectory(["c1"])
        _ = try DecisionRecorder(queueDirectory: queues, reviewer: "ana").decide(id: "c1", to: .reject)
        #expect(try queueLines(queues, "reject.jsonl").map { $0["id"] as? String } == ["c1"])
        let known = try QueueStore.readKnownAuthors(path: queues + "/.moderate/known-authors")
        #expect(known.count == 0)
    }

    @Test func undoSendsTheCommentBackToHoldOnce() throws {
        let queues = try heldQueueDirectory(["c1", "c2"])
        let recorder = DecisionRecorder(queueDirectory: queues, reviewer: "ana")
        guard case .recorded(let decision) = try recorder.decide(id: "c2", to: .reject) else { Issue.record("not recorded"); return }
        let undo = try recorder.undo(decision)
        #expect(undo.isUndo && undo.from == .reject && undo.to == .hold)
        let history = try DecisionLog.read(queueDirectory: queues)
        #expect(history.decisions.count == 2 && history.latest(for: "c2") == undo)
        let hold = try queueLines(queues, "hold.jsonl")
        #expect(hold.count == 3)
        #expect(review(of: hold[2])?["undo"] as? Bool == true)
        #expect(review(of: hold[2])?["decision_line"] as? Int == 2)
        // Held again, once, in its first place.
        #expect(try HeldComments.scan(queueDirectory: queues, history: history).map(\.id) == ["c1", "c2"])
        // The same decision cannot be undone twice.
        #expect(throws: DecisionRefusal.decidedSince(undoing: decision, latest: undo)) { try recorder.undo(decision) }
        // And it can be decided again.
        guard case .recorded = try recorder.decide(id: "c2", to: .approve) else { Issue.record("not recorded"); return }
        #expect(try HeldComments.scan(queueDirectory: queues, history: try DecisionLog.read(queueDirectory: queues)).map(\.id) == ["c1"])
    }

    @Test func aCommentSomeoneElseDecidedIsRefusedOrLeftAsItIs() throws {
        let queues = try heldQueueDirectory(["c1"])
        let ana = DecisionRecorder(queueDirectory: queues, reviewer: "ana")
        let bob = DecisionRecorder(queueDirectory: queues, reviewer: "bob")
        guard case .recorded(let anas) = try ana.decide(id: "c1", to: .approve) else { Issue.record("not recorded"); return }
        #expect(throws: DecisionRefusal.alreadyDecided(anas)) { try bob.decide(id: "c1", to: .reject) }
        #expect(throws: DecisionRefusal.alreadyDecided(anas)) { try bob.decide(id: "c1", to: .approve, sameDecisionIsDone: false) }
        #expect(try bob.decide(id: "c1", to: .approve) == .unchanged(anas))
        #expect(try DecisionLog.read(queueDirectory: queues).decisions.count == 1)
        #expect(throws: DecisionRefusal.notInHoldQueue(id: "nope")) { try ana.decide(id: "nope", to: .reject) }
    }

    @Test func twoReviewersAtOnceDecideEachCommentOnce() async throws {
        let ids = (0..<40).map { "c\($0)" }
        let queues = try heldQueueDirectory(ids)
        // Each reviewer goes through all of them, in opposite orders, as the screen would.
        let outcomes = try await withThrowingTaskGroup(of: [String].self) { group in
            for (name, order) in [("ana", ids), ("bob", ids.reversed())] {
                group.addTask {
                    let recorder = DecisionRecorder(queueDirectory: queues, reviewer: name)
                    var recorded: [String] = []
                    for id in order {
                        do {
                            if case .recorded = try recorder.decide(id: id, to: name == "ana" ? .approve : .reject, sameDecisionIsDone: false) {
                                recorded.append(id)
                            }
                        } catch DecisionRefusal.alreadyDecided {}
                    }
                    return recorded
                }
            }
            return try await group.reduce(into: []) { $0 += $1 }
        }
        #expect(outcomes.sorted() == ids.sorted())
        let history = try DecisionLog.read(queueDirectory: queues)
        #expect(history.decisions.count == ids.count)
        #expect(Set(history.decisions.map(\.id)) == Set(ids))
        let moved = try queueLines(queues, "approve.jsonl") + queueLines(queues, "reject.jsonl")
        #expect(moved.compactMap { $0["id"] as? String }.sorted() == ids.sorted())
    }

    @Test func reviewRecordsHaveKeysOfTheirOwnAlsoWhenTheIndexIsRebuilt() throws {
        let queues = try heldQueueDirectory(["c1"])
        let recorder = DecisionRecorder(queueDirectory: queues, reviewer: "ana")
        guard case .recorded(let decision) = try recorder.decide(id: "c1", to: .approve) else { Issue.record("not recorded"); return }
        _ = try recorder.undo(decision)
        _ = try recorder.decide(id: "c1", to: .reject)
        do {
            let store = try QueueStore(directory: queues)
            #expect(store.recordCount == 4)
            #expect(try store.contains(.comment(id: "c1")))
            #expect(try store.contains(.review(id: "c1", decisionLine: 3)))
        }
        // Without the journal, the queue files are read again: the same keys.
        try FileManager.default.removeItem(atPath: queues + "/.moderate/journal")
        let rebuilt = try QueueStore(directory: queues)
        #expect(rebuilt.recordCount == 4)
        #expect(try rebuilt.contains(.review(id: "c1", decisionLine: 2)))
    }

    @Test func anUnfinishedDecisionIsCutFromTheQueueAndFromDecisions() throws {
        let queues = try heldQueueDirectory(["c1", "c2"])
        _ = try DecisionRecorder(queueDirectory: queues, reviewer: "ana").decide(id: "c1", to: .reject)
        let decisionsBefore = try #require(FileManager.default.contents(atPath: queues + "/decisions.jsonl"))
        let rejectBefore = try #require(FileManager.default.contents(atPath: queues + "/reject.jsonl"))
        // What a process killed after writing both files, before the commit entry, leaves.
        let sizes = [UInt64(0), 0, UInt64(rejectBefore.count), 0, UInt64(decisionsBefore.count)]
        let sizesWithHold = [sizes[0], UInt64(try #require(FileManager.default.contents(atPath: queues + "/hold.jsonl")).count)] + sizes[2...]
        let journal = try PosixFile(safelyOpeningForAppend: queues + "/.moderate/journal")
        try journal.write(Journal.encodeIntent(Journal.Intent(sizesBefore: Array(sizesWithHold), keys: [.review(id: "c2", decisionLine: 2)])))
        let reject = try PosixFile(safelyOpeningForAppend: queues + "/reject.jsonl")
        try reject.write(Array(#"{"id":"c2","moderation":{"id":"c2"}}"#.utf8) + [0x0A])
        let decisions = try PosixFile(safelyOpeningForAppend: queues + "/decisions.jsonl")
        try decisions.write(Array(#"{"id":"c2","from":"hold","to":"reject","who":"ana","when":""#.utf8))
        _ = try QueueStore(directory: queues)
        #expect(FileManager.default.contents(atPath: queues + "/decisions.jsonl") == decisionsBefore)
        #expect(FileManager.default.contents(atPath: queues + "/reject.jsonl") == rejectBefore)
        // The rerun decides it, once.
        _ = try DecisionRecorder(queueDirectory: queues, reviewer: "ana").decide(id: "c2", to: .reject)
        #expect(try DecisionLog.read(queueDirectory: queues).decisions.map(\.id) == ["c1", "c2"])
        #expect(try queueLines(queues, "reject.jsonl").compactMap { $0["id"] as? String } == ["c1", "c2"])
    }

    @Test func learnReadsAReviewsDecisions() throws {
        let queues = try heldQueueDirectory(["c1", "c2", "c3"])
        let recorder = DecisionRecorder(queueDirectory: queues, reviewer: "ana")
        _ = try recorder.decide(id: "c1", to: .approve)
        guard case .recorded(let rejected) = try recorder.decide(id: "c2", to: .reject) else { Issue.record("not recorded"); return }
        _ = try recorder.decide(id: "c3", to: .reject)
        _ = try recorder.undo(try #require(DecisionLog.read(queueDirectory: queues).latest(for: "c3")))
        let loaded = try ModeratorDecisions.load(queueDirectory: queues)
        let labels = Dictionary(uniqueKeysWithValues: loaded.comments.map { ($0.0.id, $0.1) })
        #expect(labels == ["c1": false, "c2": true])
        #expect(loaded.missing.isEmpty)
        #expect(rejected.to == .reject)
    }

    @Test func theReviewObjectGoesInsideModeration() throws {
        let decision = HumanDecision(id: "x", from: .hold, to: .reject, who: "ana", when: "2026-12-03T10:00:00Z")
        let line = Array(#"{"id":"x","moderation":{"id":"x","decision":"hold"}}"#.utf8)
        let reviewed = try DecisionRecorder.reviewedRecord(line, decision: decision, decisionLine: 7, id: "x")
        #expect(String(decoding: reviewed, as: UTF8.self) == #"{"id":"x","moderation":{"id":"x","decision":"hold","review":{"from":"hold","to":"reject","who":"ana","when":"2026-12-03T10:00:00Z","decision_line":7}}}"# + "\n")
        #expect(throws: DecisionRefusal.notAQueueRecord(id: "x")) {
            try DecisionRecorder.reviewedRecord(Array(#"{"id":"x"}"#.utf8), decision: decision, decisionLine: 7, id: "x")
        }
    }
}
