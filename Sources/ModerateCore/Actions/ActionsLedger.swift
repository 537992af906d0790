#if canImport(Glibc)
import Glibc
#endif
import Foundation

/// What `moderate actions` has already emitted, per target: `.moderate/actions-emitted.jsonl`
/// in the queue directory, one line per emitted action,
/// `{"for":"wp-cli","id":"c-17","action":"approve","when":"2026-12-03T10:00:00Z"}`.
/// The last line of an id and target is what the site was last told; an id is emitted again
/// only when its state differs from that (or with `--all`). Lines are appended, and synced,
/// only after the output was completely written, so a failed write emits everything again
/// next time rather than losing an action. The file is opened like a queue file (no link
/// followed, owner-only) and locked (`flock`) for the whole command, so two `actions` at once
/// take turns.
public final class ActionsLedger {
    public static let fileName = "actions-emitted.jsonl"
    private let file: PosixFile
    public let target: ActionTarget
    /// Per id, the last action emitted for `target`.
    public private(set) var emitted: [String: Action] = [:]
    /// Lines that could not be read (left as they are; their ids are emitted again).
    public private(set) var unreadableLines = 0

    /// Opens (creating `.moderate/` and the file if needed) and locks the ledger of a queue
    /// directory, which must exist.
    public init(queueDirectory: String, target: ActionTarget) throws {
        self.target = target
        var status = stat()
        guard lstat(queueDirectory, &status) == 0 else { throw QueueWriteError(queueDirectory) }
        try checkDirectoryIsSafe(queueDirectory)
        let state = queueDirectory + "/" + QueueStore.stateFolderName
        try checkDirectoryIsSafe(state, ancestors: false)
        try makeDirectory(state, ancestors: false)
        file = try PosixFile(safelyOpeningForAppend: state + "/" + Self.fileName)
        var locked: Int32
        repeat { locked = flock(file.descriptor, LOCK_EX) } while locked != 0 && errno == EINTR
        guard locked == 0 else { throw QueueWriteError(file.path) }
        try file.forEachLine { line in
            guard !line.isEmpty else { return }
            guard let object = try? JSONSerialization.jsonObject(with: Data(line)) as? [String: String],
                  let id = object["id"], let action = object["action"].flatMap(Action.init(rawValue:)) else {
                unreadableLines += 1
                return
            }
            if object["for"] == target.rawValue { emitted[id] = action }
        }
    }

    /// Records `actions` as emitted, synced to disk. Call after the output is written.
    public func record(_ actions: [(id: String, action: Action)], when: String = HumanDecision.timestamp()) throws {
        guard !actions.isEmpty else { return }
        // A line cut short by a crash before this would join the first new line: end it first.
        var bytes: [UInt8] = try file.lastByte().map { $0 == 0x0A ? [] : [0x0A] } ?? []
        for (id, action) in actions {
            var writer = JSONWriter(capacity: 96)
            writer.beginObject()
            writer.field("for", target.rawValue)
            writer.field("id", id)
            writer.field("action", action.rawValue)
            writer.field("when", when)
            writer.endObject()
            bytes += writer.bytes
            bytes.append(0x0A)
            emitted[id] = action
        }
        try file.write(bytes)
        try file.sync()
    }
}
