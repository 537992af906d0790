import Foundation

/// `decisions.jsonl` in a queue directory: people's decisions (see `HumanDecision`).
public enum DecisionLog {
    public static let fileName = "decisions.jsonl"

    /// Reads the decisions of a queue directory; a directory without the file has none. Opened
    /// like a queue file (no link followed, owner-checked): what it says decides where
    /// comments go, so a planted link must not stand in for it.
    public static func read(queueDirectory: String) throws -> DecisionHistory {
        let path = (queueDirectory as NSString).appendingPathComponent(fileName)
        guard let file = try PosixFile(safelyOpeningForReading: path) else { return DecisionHistory() }
        return DecisionHistory(text: try file.readAll())
    }

    /// The decisions, and the line number the next decision will have (1-based, counting
    /// every line, so it never repeats: it keys the decision's queue record). Read through
    /// `PosixFile`, under the run lock, by `DecisionRecorder`.
    static func readForWriting(queueDirectory: String) throws -> (DecisionHistory, nextLine: Int) {
        let path = (queueDirectory as NSString).appendingPathComponent(fileName)
        guard FileManager.default.fileExists(atPath: path) else { return (DecisionHistory(), 1) }
        try checkFileIsSafeToOpen(path)
        let bytes = try PosixFile(safelyOpeningForAppend: path).readAll()
        var lines = bytes.reduce(0) { $1 == 0x0A ? $0 + 1 : $0 }
        // A last line without its break gets one before the next decision (QueueStore).
        if let last = bytes.last, last != 0x0A { lines += 1 }
        return (DecisionHistory(text: bytes), lines + 1)
    }
}
