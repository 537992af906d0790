import Foundation

/// Where every queued comment of a queue directory stands now, computed as `moderate review`
/// and `moderate actions` agree (README, "Applying decisions to the site"):
///
/// - the queue of a person's last decision in `decisions.jsonl`, if a person decided it;
/// - else the queue of its reviewed record (`moderation.review`), if the queue files have one;
/// - else the queue its `moderate run` record is in.
///
/// Queue files are only appended to, and a reviewed comment is appended again to approve or
/// reject (and to hold after an undo), so an id may have several records: the decisions say
/// which counts. The files are read line by line, and only a small state is kept per id (its
/// queues, its platform status and id, its date), never whole records.
public struct QueueState {
    /// One comment's state.
    public struct Entry: Equatable, Sendable {
        /// Where it belongs now.
        public var queue: Action
        /// True when a person put it there (a decision, or a reviewed record; not an undo).
        public var decidedByPerson: Bool
        /// What the export said about it on the site.
        public var site: SiteStatus
        /// The comment's own id on its platform: the record's `id` field (for WordPress the
        /// comment id, for Disqus the post id). Not checked here: callers validate it.
        public var platformID: String?
        /// The time `--since` compares: the decision's `when` for a person's decision, else
        /// the comment's `date` as the export wrote it (see `QueueTime`).
        public var time: String?
    }

    /// Every id, in the order first seen (approve.jsonl, hold.jsonl, reject.jsonl, then ids
    /// known only from decisions.jsonl).
    public private(set) var ids: [String] = []
    public private(set) var entries: [String: Entry] = [:]
    /// Queue lines that are not a JSON record with a `moderation.id`, by file (left as they are).
    public private(set) var unreadableLines: [String: Int] = [:]
    /// Ids with reviewed records in different queues and no decision to say which is last:
    /// they are held (when in doubt, hold).
    public private(set) var conflictingIDs: [String] = []
    /// Lines of decisions.jsonl that are not a person's decision.
    public private(set) var refusedDecisions = 0

    /// What the queue files say about one id, before the decisions are applied.
    private struct Seen {
        var runQueue: Action?
        var reviewQueue: Action?
        var reviewConflict = false
        var site: SiteStatus = .unknown
        var platformID: String?
        var date: String?
        var reviewedAt: String?
    }

    /// Reads the queue files (all three by default; `--metrics` reads hold.jsonl only, for
    /// the held backlog) and decisions.jsonl of `queueDirectory`. Missing files are empty;
    /// a file that is a link, or someone else's, is refused.
    public static func read(queueDirectory: String, queues: [Action] = Action.allCases) throws -> QueueState {
        var state = QueueState()
        var seen: [String: Seen] = [:]
        var order: [String] = []
        for queue in queues {
            let path = (queueDirectory as NSString).appendingPathComponent(QueueName(queue).fileName)
            guard let file = try PosixFile(safelyOpeningForReading: path) else { continue }
            try file.forEachLine { line in
                guard !line.allSatisfy({ $0 == 0x20 || $0 == 0x09 || $0 == 0x0D }) else { return }
                guard let record = try? JSONSerialization.jsonObject(with: Data(line)) as? [String: Any],
                      let moderation = record["moderation"] as? [String: Any],
                      let id = moderation["id"] as? String, !id.isEmpty else {
                    state.unreadableLines[QueueName(queue).fileName, default: 0] += 1
                    return
                }
                var entry = seen[id] ?? { order.append(id); return Seen() }()
                if let review = moderation["review"] {
                    if let earlier = entry.reviewQueue, earlier != queue { entry.reviewConflict = true }
                    entry.reviewQueue = queue
                    entry.reviewedAt = (review as? [String: Any])?["when"] as? String ?? entry.reviewedAt
                } else if entry.runQueue == nil {
                    entry.runQueue = queue
                }
                if entry.platformID == nil {
                    entry.site = SiteStatus(record: record)
                    entry.platformID = record["id"] as? String
                    entry.date = record["date"] as? String
                }
                seen[id] = entry
            }
        }
        let decisions = try DecisionLog.read(queueDirectory: queueDirectory)
        state.refusedDecisions = decisions.refused.count
        let readsEveryQueue = Set(queues) == Set(Action.allCases)
        for id in decisions.decidedIDs where seen[id] == nil {
            // A decision on a comment none of the files read holds: with every queue read, it
            // is a comment whose lines were moved or rotated away; its decision still stands.
            // Reading only some queues, it belongs to the others.
            if readsEveryQueue { order.append(id); seen[id] = Seen() }
        }
        for id in order {
            let found = seen[id]!
            let entry: Entry
            if let decision = decisions.latest(for: id) {
                if !readsEveryQueue && !queues.contains(decision.to) { continue }
                // An undo sends it back to hold, where it waits for a person again.
                entry = Entry(queue: decision.to, decidedByPerson: !decision.isUndo, site: found.site,
                              platformID: found.platformID, time: decision.when)
            } else if let reviewed = found.reviewQueue {
                if found.reviewConflict { state.conflictingIDs.append(id) }
                entry = Entry(queue: found.reviewConflict ? .hold : reviewed, decidedByPerson: true,
                              site: found.site, platformID: found.platformID, time: found.reviewedAt ?? found.date)
            } else if let queue = found.runQueue {
                entry = Entry(queue: queue, decidedByPerson: false, site: found.site,
                              platformID: found.platformID, time: found.date)
            } else {
                continue
            }
            state.ids.append(id)
            state.entries[id] = entry
        }
        return state
    }

    /// Held comments not yet decided by a person: what `moderate review` has left to show.
    public var heldBacklog: Int {
        entries.values.reduce(0) { $0 + ($1.queue == .hold && !$1.decidedByPerson ? 1 : 0) }
    }
}
