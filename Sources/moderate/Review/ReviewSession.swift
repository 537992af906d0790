import Foundation
import ModerateCore

/// What a review is at: the held comments left, the one shown, the decisions this session
/// made (for undo), and the last message. The keys act here; `ReviewScreen` only draws it.
/// Decisions go through `DecisionRecorder` one at a time (lock, re-read, write), so another
/// reviewer's decision on a comment shown here is refused and the comment passed over.
final class ReviewSession {
    let recorder: DecisionRecorder
    /// Held and not decided, in hold.jsonl's order.
    private(set) var pending: [HeldComment]
    private(set) var position = 0
    private(set) var made: [(decision: HumanDecision, held: HeldComment)] = []
    private(set) var counts = (approved: 0, rejected: 0, undone: 0, skipped: 0, decidedElsewhere: 0)
    var message = ""
    var showingHelp = false
    private var cached: (held: HeldComment, item: ReviewItem?)?

    init(recorder: DecisionRecorder, pending: [HeldComment]) {
        self.recorder = recorder
        self.pending = pending
    }

    var current: HeldComment? { pending.isEmpty ? nil : pending[position] }

    /// The comment shown, read from hold.jsonl when it changes (one record in memory).
    var currentItem: ReviewItem? {
        guard let held = current else { return nil }
        if let cached, cached.held == held { return cached.item }
        let item = (try? HeldComments.record(held, queueDirectory: recorder.queueDirectory)).flatMap { ReviewItem(recordLine: $0) }
        cached = (held, item)
        return item
    }

    enum KeyResult { case stay, quit }

    func handle(key: Character) -> KeyResult {
        if showingHelp { showingHelp = false; if key != "q" { return .stay } }
        switch key {
        case "a": decide(.approve)
        case "r": decide(.reject)
        case "s", " ": skip()
        case "u": undo()
        case "?": showingHelp = true
        case "q": return .quit
        default: message = "unknown key; ? shows the keys"
        }
        return .stay
    }

    private func decide(_ target: Action) {
        guard let held = current else { message = "nothing left to decide"; return }
        do {
            switch try recorder.decide(id: held.id, to: target, held: held, sameDecisionIsDone: false) {
            case .recorded(let decision), .unchanged(let decision):
                made.append((decision, held))
                if target == .approve { counts.approved += 1 } else { counts.rejected += 1 }
                message = "\(DecisionRefusalMessage.past(target)) \(held.id.terminalSafe(maxCharacters: 40))"
            }
            removeCurrent()
        } catch let refusal as DecisionRefusal {
            if case .alreadyDecided = refusal {
                counts.decidedElsewhere += 1
                removeCurrent()
            }
            message = DecisionRefusalMessage.text(refusal) + "; passed over"
        } catch {
            message = "not recorded: \(error)"
        }
    }

    private func skip() {
        guard !pending.isEmpty else { message = "nothing left"; return }
        counts.skipped += 1
        position += 1
        if position >= pending.count {
            position = 0
            message = "skipped; back to the first comment left"
        } else {
            message = "skipped"
        }
    }

    private func undo() {
        guard let last = made.last else { message = "no decision of this session to undo"; return }
        do {
            _ = try recorder.undo(last.decision, held: last.held)
            made.removeLast()
            counts.undone += 1
            if last.decision.to == .approve { counts.approved -= 1 } else { counts.rejected -= 1 }
            pending.insert(last.held, at: min(position, pending.count))
            message = "undone: \(last.held.id.terminalSafe(maxCharacters: 40)) is held again"
        } catch let refusal as DecisionRefusal {
            made.removeLast()
            message = DecisionRefusalMessage.text(refusal)
        } catch {
            message = "not undone: \(error)"
        }
    }

    private func removeCurrent() {
        pending.remove(at: position)
        if position >= pending.count { position = 0 }
    }
}
