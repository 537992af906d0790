import Foundation
@testable import ModerateCore

/// A queue directory made by hand for the Actions suites: queue lines shaped like `moderate
/// run`'s (the record's fields and a `moderation` object), and decisions.jsonl lines written by
/// `HumanDecision.jsonLine`. The CLI suites make theirs with `moderate run` instead.
struct QueueDirectory {
    let path: String

    init() throws {
        path = FileManager.default.temporaryDirectory.appendingPathComponent("moderate-actions-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true,
                                                attributes: [.posixPermissions: 0o700])
    }

    /// Appends a record of comment `id` to `queue`: WordPress's fields when `wpApproved` is
    /// given, Disqus's when `disqusSpam` is, `review` when a person put it there.
    func append(_ queue: Action, id: String, siteID: String? = nil, wpApproved: String? = nil,
                disqusSpam: Bool? = nil, disqusDeleted: Bool = false, date: String? = nil, reviewed: Bool = false) throws {
        var record: [String: Any] = ["id": siteID ?? id, "body": "text of \(id)"]
        if let wpApproved { record["wp_approved"] = wpApproved }
        if let disqusSpam { record["disqus_is_spam"] = disqusSpam; record["disqus_is_deleted"] = disqusDeleted }
        if let date { record["date"] = date }
        var moderation: [String: Any] = ["decision": queue.rawValue, "id": id]
        if reviewed { moderation["review"] = ["who": "ana", "when": "2026-12-03T10:00:00Z"] }
        record["moderation"] = moderation
        try appendLine(JSONSerialization.data(withJSONObject: record, options: [.sortedKeys]) + Data([0x0A]),
                       to: queue.rawValue + ".jsonl")
    }

    func decide(_ id: String, from: Action, to: Action, when: String = "2026-12-03T10:00:00Z", undo: Bool = false) throws {
        let line = HumanDecision(id: id, from: from, to: to, who: "ana", when: when, isUndo: undo).jsonLine
        try appendLine(Data(line), to: DecisionLog.fileName)
    }

    func appendLine(_ data: Data, to name: String) throws {
        let file = (path as NSString).appendingPathComponent(name)
        if !FileManager.default.fileExists(atPath: file) {
            FileManager.default.createFile(atPath: file, contents: nil, attributes: [.posixPermissions: 0o600])
        }
        let handle = try FileHandle(forWritingTo: URL(fileURLWithPath: file))
        try handle.seekToEnd()
        try handle.write(contentsOf: data)
        try handle.close()
    }

    func state(_ queues: [Action] = Action.allCases) throws -> QueueState {
        try QueueState.read(queueDirectory: path, queues: queues)
    }
}
