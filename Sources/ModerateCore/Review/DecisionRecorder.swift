import Foundation
import Logging

/// Why a person's decision was not recorded. Nothing was written for that comment.
public enum DecisionRefusal: Error, Equatable, Sendable {
    /// No record of the id in hold.jsonl: never held by the rules, or not a comment id at all.
    case notInHoldQueue(id: String)
    /// Someone decided it already, and not the way this decision wants (or the screen showed
    /// it as still held): the last decision on it.
    case alreadyDecided(HumanDecision)
    /// The decision to undo is no longer the comment's last one (someone decided after it).
    case decidedSince(undoing: HumanDecision, latest: HumanDecision?)
    /// The hold.jsonl line is not a record `moderate run` wrote (no `moderation` object at its end).
    case notAQueueRecord(id: String)
}

/// Records people's decisions on held comments (`moderate decide` and `moderate review`).
///
/// Each decision takes the queue directory's run lock for as long as it writes (a few
/// milliseconds), so several reviewers, and `moderate run` from cron, can work on one queue
/// directory at once. Under the lock it reads `decisions.jsonl` again, so a comment someone
/// else decided meanwhile is refused, not decided twice. The decision's line and the comment's
/// record in its new queue go through the journal like a run's batch: a process killed at any
/// instant leaves both or neither, once the directory is opened again.
public struct DecisionRecorder: Sendable {
    public let queueDirectory: String
    public let reviewer: String
    private let logger: Logger

    public init(queueDirectory: String, reviewer: String, logger: Logger = Logger(label: "moderate.review")) {
        self.queueDirectory = queueDirectory
        self.reviewer = reviewer
        self.logger = logger
    }

    public enum Recorded: Equatable, Sendable {
        /// Written now.
        case recorded(HumanDecision)
        /// It already was the comment's decision (a `decide --from` file run again): nothing written.
        case unchanged(HumanDecision)
    }

    /// Approves or rejects a held comment. `held` is where its record is, when the caller
    /// knows it (the review screen); otherwise hold.jsonl is searched. `sameDecisionIsDone`:
    /// a comment that already has this decision is `.unchanged` rather than refused (decide
    /// does that, so a file can be applied again; the screen refuses it, to say someone else did it).
    public func decide(id: String, to target: Action, held: HeldComment? = nil,
                       sameDecisionIsDone: Bool = true, now: Date = Date()) throws -> Recorded {
        precondition(target != .hold, "a decision approves or rejects; an undo sends back to hold")
        let store = try QueueStore(directory: queueDirectory, waitForLock: true, logger: logger)
        let (history, nextLine) = try DecisionLog.readForWriting(queueDirectory: queueDirectory)
        if let latest = history.latest(for: id), latest.to != .hold {
            if latest.to == target && sameDecisionIsDone { return .unchanged(latest) }
            throw DecisionRefusal.alreadyDecided(latest)
        }
        guard let held = try held ?? HeldComments.find(id: id, queueDirectory: queueDirectory) else {
            throw DecisionRefusal.notInHoldQueue(id: id)
        }
        let line = try HeldComments.record(held, queueDirectory: queueDirectory)
        guard let object = try? JSONSerialization.jsonObject(with: Data(line)) as? [String: Any],
              let moderation = object["moderation"] as? [String: Any], moderation["id"] as? String == id else {
            throw DecisionRefusal.notAQueueRecord(id: id)
        }
        let decision = HumanDecision(id: id, from: .hold, to: target, who: reviewer, when: HumanDecision.timestamp(now),
                                     fingerprint: moderation["rules"] as? String)
        var batch = QueueCommit()
        batch.add(try Self.reviewedRecord(line, decision: decision, decisionLine: nextLine, id: id),
                  to: QueueName(target), key: .review(id: id, decisionLine: nextLine))
        if target == .approve, let author = RecordKey.knownAuthor(
            email: object["author_email"] as? String, name: object["author"] as? String, ip: object["ip"] as? String) {
            batch.noteApprovedAuthor(author)
        }
        try store.commit(batch, decisionLine: decision.jsonLine)
        return .recorded(decision)
    }

    /// Takes back `decision` (which must still be the comment's last one): a line
    /// `{"from":<its to>,"to":"hold","undo":true}` and the record appended to hold.jsonl again.
    /// The author an approval made known stays known (the known-authors file only grows).
    public func undo(_ decision: HumanDecision, held: HeldComment? = nil, now: Date = Date()) throws -> HumanDecision {
        let store = try QueueStore(directory: queueDirectory, waitForLock: true, logger: logger)
        let (history, nextLine) = try DecisionLog.readForWriting(queueDirectory: queueDirectory)
        let latest = history.latest(for: decision.id)
        guard let latest, latest == decision, decision.to != .hold else {
            throw DecisionRefusal.decidedSince(undoing: decision, latest: latest)
        }
        guard let held = try held ?? HeldComments.find(id: decision.id, queueDirectory: queueDirectory) else {
            throw DecisionRefusal.notInHoldQueue(id: decision.id)
        }
        let line = try HeldComments.record(held, queueDirectory: queueDirectory)
        let undo = HumanDecision(id: decision.id, from: decision.to, to: .hold, who: reviewer,
                                 when: HumanDecision.timestamp(now), fingerprint: decision.fingerprint, isUndo: true)
        var batch = QueueCommit()
        batch.add(try Self.reviewedRecord(line, decision: undo, decisionLine: nextLine, id: decision.id),
                  to: .hold, key: .review(id: decision.id, decisionLine: nextLine))
        try store.commit(batch, decisionLine: undo.jsonLine)
        return undo
    }

    /// The rules' record with a `review` object added as the last field of its `moderation`:
    /// `"review":{"from":"hold","to":"reject","who":"ana","when":"…","decision_line":7}`.
    /// `decision_line` (the decision's line in decisions.jsonl) is what keys the record.
    static func reviewedRecord(_ line: [UInt8], decision: HumanDecision, decisionLine: Int, id: String) throws -> [UInt8] {
        var end = line.count
        while end > 0, [0x20, 0x09, 0x0D].contains(line[end - 1]) { end -= 1 }
        // `moderation` is the record's last field (QueueRecord), so the line ends with its
        // closing brace and the record's.
        guard end >= 2, line[end - 1] == UInt8(ascii: "}"), line[end - 2] == UInt8(ascii: "}") else {
            throw DecisionRefusal.notAQueueRecord(id: id)
        }
        var writer = JSONWriter(capacity: end + 160)
        writer.appendRaw(line[..<(end - 2)])
        writer.appendRaw(",\"review\":".utf8)
        writer.beginObject()
        writer.field("from", decision.from.rawValue)
        writer.field("to", decision.to.rawValue)
        writer.field("who", decision.who)
        writer.field("when", decision.when)
        writer.field("decision_line", decisionLine)
        if decision.isUndo { writer.key("undo"); writer.bool(true) }
        writer.endObject()
        writer.appendRaw([UInt8(ascii: "}"), UInt8(ascii: "}"), 0x0A])
        return writer.bytes
    }
}
