import Foundation

/// A held comment waiting for a person: where its record is in `hold.jsonl`. Only the place
/// is kept, not the record, so a hold queue of a few hundred thousand comments costs an id
/// and two numbers each; the record is read again when it is shown (`HeldComments.record`).
public struct HeldComment: Equatable, Sendable {
    public var id: String
    /// Byte offset and length (without the line break) of its first line in hold.jsonl.
    public var offset: UInt64
    public var length: Int
}

/// Which held comments a review shows: all, or those a rule fired on, or those of one post.
public struct ReviewFilter: Sendable {
    public var rule: String?
    public var post: String?

    public init(rule: String? = nil, post: String? = nil) {
        self.rule = rule
        self.post = post
    }

    func admits(_ record: [String: Any]) -> Bool {
        if let post, ReviewItem.text(record["post"]) != post { return false }
        if let rule {
            let fired = ((record["moderation"] as? [String: Any])?["fired"] as? [[String: Any]]) ?? []
            if !fired.contains(where: { $0["rule"] as? String == rule }) { return false }
        }
        return true
    }
}

/// The held comments not yet decided: the records of `hold.jsonl` whose id's current queue
/// is hold (no person decided it, or the decision was undone), each id once, in the order of
/// hold.jsonl (oldest first). An id's current queue is the `to` of its last line in
/// `decisions.jsonl`, else the queue the rules put it in.
public enum HeldComments {
    public static func scan(queueDirectory: String, history: DecisionHistory,
                            filter: ReviewFilter = ReviewFilter()) throws -> [HeldComment] {
        guard let file = try openHold(queueDirectory) else { return [] }
        var held: [HeldComment] = []
        var seen = Set<String>()
        var offset: UInt64 = 0
        try file.forEachLine { line in
            defer { offset += UInt64(line.count) + 1 }
            guard !line.isEmpty,
                  let record = try? JSONSerialization.jsonObject(with: Data(line)) as? [String: Any],
                  let id = (record["moderation"] as? [String: Any])?["id"] as? String,
                  seen.insert(id).inserted else { return }
            if let latest = history.latest(for: id), latest.to != .hold { return }
            guard filter.admits(record) else { return }
            held.append(HeldComment(id: id, offset: offset, length: line.count))
        }
        return held
    }

    /// The first line of `id` in hold.jsonl (the record the rules wrote), if it has one.
    public static func find(id: String, queueDirectory: String) throws -> HeldComment? {
        guard let file = try openHold(queueDirectory) else { return nil }
        var found: HeldComment?
        var offset: UInt64 = 0
        // Cheap test first: most lines do not even contain the id's text (an id JSON writes
        // with escapes is parsed on every line).
        let needle = Array(id.utf8)
        let plain = needle.allSatisfy { $0 >= 0x20 && $0 < 0x7F && $0 != 0x22 && $0 != 0x5C }
        do {
            try file.forEachLine { line in
                defer { offset += UInt64(line.count) + 1 }
                guard !line.isEmpty, !plain || line.firstRange(of: needle) != nil,
                      let record = try? JSONSerialization.jsonObject(with: Data(line)) as? [String: Any],
                      (record["moderation"] as? [String: Any])?["id"] as? String == id else { return }
                found = HeldComment(id: id, offset: offset, length: line.count)
                throw FoundIt()
            }
        } catch is FoundIt {}
        return found
    }

    /// Ends the walk through hold.jsonl at the first record of the id.
    private struct FoundIt: Error {}

    /// The record's line, as hold.jsonl holds it (without its line break).
    public static func record(_ held: HeldComment, queueDirectory: String) throws -> [UInt8] {
        guard let file = try openHold(queueDirectory) else { throw QueueWriteError(holdPath(queueDirectory), "hold.jsonl is gone") }
        let bytes = try file.read(at: held.offset, count: held.length)
        guard bytes.count == held.length else { throw QueueWriteError(holdPath(queueDirectory), "hold.jsonl is shorter than it was") }
        return bytes
    }

    static func holdPath(_ queueDirectory: String) -> String { queueDirectory + "/" + QueueName.hold.fileName }

    /// Opened through `PosixFile` like every queue file (no link followed); nil if there is none.
    private static func openHold(_ queueDirectory: String) throws -> PosixFile? {
        let path = holdPath(queueDirectory)
        guard FileManager.default.fileExists(atPath: path) else { return nil }
        try checkFileIsSafeToOpen(path)
        return try PosixFile(safelyOpeningForAppend: path)
    }
}
