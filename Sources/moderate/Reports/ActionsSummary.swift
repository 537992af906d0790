import ModerateCore

/// The line `moderate actions` prints on stderr:
/// `actions for wp-cli: 3 approve, 1 hold, 2 reject; left out: 5 already so on the site, 4 already emitted`.
enum ActionsSummary {
    static func line(_ plan: ActionPlan, target: ActionTarget) -> String {
        let counts = Action.allCases
            .filter { target != .disqus || $0 != .hold }
            .map { action in "\(plan.items.filter { $0.action == action }.count) \(action.rawValue)" }
        var line = "actions for \(target.rawValue): " + counts.joined(separator: ", ")
        let leftOut = plan.leftOut.sorted { $0.value != $1.value ? $0.value > $1.value : $0.key.description < $1.key.description }
        if !leftOut.isEmpty {
            line += "; left out: " + leftOut.map { "\($0.value) \($0.key)" }.joined(separator: ", ")
        }
        return line
    }
}
