import ModerateCore

/// A refused decision in words, for `decide` and for the review screen's status line.
enum DecisionRefusalMessage {
    static func text(_ refusal: DecisionRefusal) -> String {
        switch refusal {
        case .notInHoldQueue(let id):
            return "\(short(id)) is not in hold.jsonl (the rules did not hold it, or there is no such id)"
        case .alreadyDecided(let latest):
            return "\(short(latest.id)) was already \(past(latest.to)) by \(short(latest.who)) at \(latest.when)"
        case .decidedSince(let undoing, let latest):
            let by = latest.map { " (\(past($0.to)) by \(short($0.who)) at \($0.when))" } ?? ""
            return "cannot undo \(short(undoing.id)): it was decided again since\(by)"
        case .notAQueueRecord(let id):
            return "the hold.jsonl line of \(short(id)) is not a record moderate run wrote"
        }
    }

    static func past(_ action: Action) -> String {
        switch action {
        case .approve: return "approved"
        case .reject: return "rejected"
        case .hold: return "sent back to hold"
        }
    }

    private static func short(_ text: String) -> String { text.terminalSafe(maxCharacters: 80) }
}
