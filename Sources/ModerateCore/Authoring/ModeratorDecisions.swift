import Foundation

/// People's decisions on queued comments, from `decisions.jsonl` in the queue directory
/// (README, "Learning from moderators"): one JSON object a line,
///
///     {"id": "c-17", "from": "hold", "to": "reject", "who": "ana", "when": "2026-12-03T10:00:00Z", "fingerprint": "…"}
///
/// `to` is `approve` (ham) or `reject` (spam); a decision without `who` is not a person's and
/// is refused. The last decision on an id wins: a person may correct another. The comment's
/// text is looked up by id in the queue files (`approve.jsonl`, `hold.jsonl`, `reject.jsonl`).
public struct ModeratorDecisions {
    public static let fileName = "decisions.jsonl"
    public static let queueFileNames = ["approve.jsonl", "hold.jsonl", "reject.jsonl"]

    /// The label each decided id ends with (true: spam), in the order ids were first decided.
    public private(set) var labels: [(id: String, isSpam: Bool)] = []
    /// Lines that are not a person's approve or reject, with why.
    public private(set) var refused: [(line: Int, reason: String)] = []

    public init(decisionsText text: [UInt8]) {
        var index: [String: Int] = [:]
        for (number, line) in text.split(separator: 0x0A, omittingEmptySubsequences: false).enumerated() {
            if line.allSatisfy({ $0 == 0x20 || $0 == 0x09 || $0 == 0x0D }) { continue }
            guard let object = try? JSONSerialization.jsonObject(with: Data(line)) as? [String: Any] else {
                refused.append((number + 1, "not a JSON object"))
                continue
            }
            guard let id = object["id"] as? String, !id.isEmpty else { refused.append((number + 1, "no id")); continue }
            guard let who = object["who"] as? String, !who.trimmingCharacters(in: .whitespaces).isEmpty else {
                refused.append((number + 1, "no 'who': only people's decisions are learned"))
                continue
            }
            let isSpam: Bool
            switch object["to"] as? String {
            case "reject": isSpam = true
            case "approve": isSpam = false
            default: refused.append((number + 1, "'to' must be approve or reject")); continue
            }
            if let place = index[id] { labels[place].isSpam = isSpam } else {
                index[id] = labels.count
                labels.append((id, isSpam))
            }
        }
    }

    /// Reads the decisions of a queue directory and finds each decided comment in its queue
    /// files (the last record of an id wins, as it is the latest). Returns the comments with
    /// their labels, and the ids no queue file holds.
    public static func load(queueDirectory: String) throws -> (decisions: ModeratorDecisions,
                                                                comments: [(Comment, Bool)], missing: [String]) {
        let path = (queueDirectory as NSString).appendingPathComponent(fileName)
        let data = try Data(contentsOf: URL(fileURLWithPath: path))
        let decisions = ModeratorDecisions(decisionsText: Array(data))
        let wanted = Set(decisions.labels.map(\.id))
        var found: [String: Comment] = [:]
        for name in queueFileNames {
            let queuePath = (queueDirectory as NSString).appendingPathComponent(name)
            guard FileManager.default.fileExists(atPath: queuePath) else { continue }
            let reader = JSONLinesReader(lines: LineReader(try InputFile(InputSource(path: queuePath))), sourceName: name)
            while let item = try reader.next() {
                if case .comment(let input) = item, wanted.contains(input.comment.id) { found[input.comment.id] = input.comment }
            }
        }
        var comments: [(Comment, Bool)] = []
        var missing: [String] = []
        for (id, isSpam) in decisions.labels {
            if let comment = found[id] { comments.append((comment, isSpam)) } else { missing.append(id) }
        }
        return (decisions, comments, missing)
    }
}
