import Foundation

/// One person's decision on a queued comment: one line of `decisions.jsonl` in the queue
/// directory (README, "Reviewing the hold queue"):
///
///     {"id":"c-17","from":"hold","to":"reject","who":"ana","when":"2026-12-03T10:00:00Z","fingerprint":"sha256:…"}
///
/// `to` is where the comment now belongs. An undo is a decision too: it sends the comment back
/// where it came from (`"to":"hold"`, `"undo":true`), so the log only ever grows and the last
/// line of an id is its state. A line is a person's only if it says `who`.
public struct HumanDecision: Equatable, Sendable {
    public var id: String
    public var from: Action
    public var to: Action
    public var who: String
    /// ISO 8601, UTC, to the second.
    public var when: String
    /// The fingerprint of the rule set that had decided `from`, when known.
    public var fingerprint: String?
    /// True when this line takes back the decision before it.
    public var isUndo: Bool

    public init(id: String, from: Action, to: Action, who: String, when: String,
                fingerprint: String? = nil, isUndo: Bool = false) {
        self.id = id
        self.from = from
        self.to = to
        self.who = who
        self.when = when
        self.fingerprint = fingerprint
        self.isUndo = isUndo
    }

    /// Why a line of `decisions.jsonl` is not a person's decision.
    public enum LineProblem: Error, Equatable, Sendable, CustomStringConvertible {
        case notAJSONObject
        case noID
        case noWho
        case badQueue(field: String)

        public var description: String {
            switch self {
            case .notAJSONObject: return "not a JSON object"
            case .noID: return "no id"
            case .noWho: return "no 'who': only people's decisions count"
            case .badQueue(let field): return "'\(field)' must be approve, hold or reject"
            }
        }
    }

    /// Reads one line of `decisions.jsonl`.
    public init(jsonLine line: some Collection<UInt8>) throws(LineProblem) {
        guard let object = try? JSONSerialization.jsonObject(with: Data(line)) as? [String: Any] else {
            throw .notAJSONObject
        }
        guard let id = object["id"] as? String, !id.isEmpty else { throw .noID }
        guard let who = object["who"] as? String, !who.trimmingCharacters(in: .whitespaces).isEmpty else {
            throw .noWho
        }
        guard let from = (object["from"] as? String).flatMap(Action.init(rawValue:)) else { throw .badQueue(field: "from") }
        guard let to = (object["to"] as? String).flatMap(Action.init(rawValue:)) else { throw .badQueue(field: "to") }
        self.init(id: id, from: from, to: to, who: who, when: object["when"] as? String ?? "",
                  fingerprint: object["fingerprint"] as? String, isUndo: object["undo"] as? Bool ?? false)
    }

    /// The line as `decisions.jsonl` holds it, with its newline.
    public var jsonLine: [UInt8] {
        var writer = JSONWriter(capacity: 160)
        writer.beginObject()
        writer.field("id", id)
        writer.field("from", from.rawValue)
        writer.field("to", to.rawValue)
        writer.field("who", who)
        writer.field("when", when)
        if let fingerprint { writer.field("fingerprint", fingerprint) }
        if isUndo { writer.key("undo"); writer.bool(true) }
        writer.endObject()
        return writer.bytes + [0x0A]
    }

    /// Now, as `when` holds it.
    public static func timestamp(_ date: Date = Date()) -> String {
        let formatter = ISO8601DateFormatter()
        formatter.formatOptions = [.withInternetDateTime]
        return formatter.string(from: date)
    }
}

/// The lines of a `decisions.jsonl`, read in order: the last decision of each id is its state.
public struct DecisionHistory: Sendable {
    /// Every person's decision, in the order written.
    public private(set) var decisions: [HumanDecision] = []
    /// The lines that are not a person's decision, with why (1-based line numbers).
    public private(set) var refused: [(line: Int, problem: HumanDecision.LineProblem)] = []
    private var lastIndexByID: [String: Int] = [:]

    public init() {}

    public init(text: some Collection<UInt8>) {
        for (number, line) in text.split(separator: 0x0A, omittingEmptySubsequences: false).enumerated() {
            if line.allSatisfy({ $0 == 0x20 || $0 == 0x09 || $0 == 0x0D }) { continue }
            do { append(try HumanDecision(jsonLine: line)) } catch { refused.append((number + 1, error)) }
        }
    }

    public mutating func append(_ decision: HumanDecision) {
        lastIndexByID[decision.id] = decisions.count
        decisions.append(decision)
    }

    /// The last decision on `id`, if a person decided it.
    public func latest(for id: String) -> HumanDecision? { lastIndexByID[id].map { decisions[$0] } }

    /// The ids decided, each once, in the order of their first decision.
    public var decidedIDs: [String] {
        var seen = Set<String>()
        return decisions.compactMap { seen.insert($0.id).inserted ? $0.id : nil }
    }
}
