import Foundation

/// People's decisions on queued comments as labels for the learned stage, from
/// `decisions.jsonl` in the queue directory (README, "Learning from moderators"; one line is a
/// `HumanDecision`).
///
/// An id's last decision is its label: `approve` is ham, `reject` spam, and `hold` (an undo,
/// or a person putting it back) no label at all. A person may correct another. The comment's
/// text is looked up by id in the queue files (`approve.jsonl`, `hold.jsonl`, `reject.jsonl`).
public struct ModeratorDecisions {
    public static let fileName = DecisionLog.fileName
    public static let queueFileNames = ["approve.jsonl", "hold.jsonl", "reject.jsonl"]

    /// The label each decided id ends with (true: spam), in the order ids were first decided.
    public private(set) var labels: [(id: String, isSpam: Bool)] = []
    /// Lines that are not a person's decision, with why.
    public private(set) var refused: [(line: Int, reason: String)] = []

    public init(decisionsText text: [UInt8]) {
        self.init(history: DecisionHistory(text: text))
    }

    public init(history: DecisionHistory) {
        refused = history.refused.map { ($0.line, $0.problem.description) }
        for id in history.decidedIDs {
            guard let last = history.latest(for: id), last.to != .hold else { continue }
            labels.append((id, last.to == .reject))
        }
    }

    /// Reads the decisions of a queue directory and finds each decided comment in its queue
    /// files (the last record of an id wins, as it is the latest). Returns the comments with
    /// their labels, and the ids no queue file holds.
    public static func load(queueDirectory: String) throws -> (decisions: ModeratorDecisions,
                                                                comments: [(Comment, Bool)], missing: [String]) {
        let path = (queueDirectory as NSString).appendingPathComponent(fileName)
        // A missing file is an error here (learn was asked for decisions), not "no decisions".
        guard FileManager.default.fileExists(atPath: path) else {
            throw CocoaError(.fileReadNoSuchFile, userInfo: [NSFilePathErrorKey: path])
        }
        let decisions = ModeratorDecisions(history: try DecisionLog.read(queueDirectory: queueDirectory))
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
