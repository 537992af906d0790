import Foundation

/// `decisions.jsonl` in a queue directory: people's decisions (see `HumanDecision`).
public enum DecisionLog {
    public static let fileName = "decisions.jsonl"

    /// Reads the decisions of a queue directory; a directory without the file has none.
    public static func read(queueDirectory: String) throws -> DecisionHistory {
        let path = (queueDirectory as NSString).appendingPathComponent(fileName)
        guard FileManager.default.fileExists(atPath: path) else { return DecisionHistory() }
        return DecisionHistory(text: Array(try Data(contentsOf: URL(fileURLWithPath: path))))
    }
}
