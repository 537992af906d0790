/// One comment whose queue differs between two rule sets, and the rules that made the difference.
public struct DecisionChange: Sendable, Equatable {
    public var commentID: String
    /// Where it was read, `file:line`.
    public var origin: String
    public var old: Moderation
    public var new: Moderation

    /// Rules that fire with the new rules only.
    public var nowFiring: [String] { new.fired.map(\.rule).filter { id in !old.fired.contains { $0.rule == id } } }
    /// Rules that fired with the old rules only (changed, removed, or in a stage that no longer runs).
    public var noLongerFiring: [String] { old.fired.map(\.rule).filter { id in !new.fired.contains { $0.rule == id } } }
    /// Rules that fire with both but add a different score.
    public var scoreChanges: [(rule: String, old: Double, new: Double)] {
        new.fired.compactMap { fired in
            guard let before = old.fired.first(where: { $0.rule == fired.rule }), before.score != fired.score else { return nil }
            return (fired.rule, before.score, fired.score)
        }
    }

    public static func == (lhs: DecisionChange, rhs: DecisionChange) -> Bool {
        lhs.commentID == rhs.commentID && lhs.origin == rhs.origin && lhs.old == rhs.old && lhs.new == rhs.new
    }
}

/// The comments whose queue changes between an old and a new rule set, grouped by change.
public struct DecisionDiff: Sendable {
    public private(set) var compared = 0
    public private(set) var changes: [DecisionChange] = []

    public init() {}

    public mutating func add(commentID: String, origin: String, old: Moderation, new: Moderation) {
        compared += 1
        if old.decision != new.decision {
            changes.append(DecisionChange(commentID: commentID, origin: origin, old: old, new: new))
        }
    }

    public struct Group: Sendable {
        public var from: Action
        public var to: Action
        public var changes: [DecisionChange]
    }

    /// Groups in a fixed order, the moves towards approval first (the risky ones: spam let
    /// through), then the rest; comments in input order within a group.
    public var groups: [Group] {
        let order: [(Action, Action)] = [(.hold, .approve), (.reject, .approve), (.reject, .hold),
                                         (.approve, .hold), (.approve, .reject), (.hold, .reject)]
        return order.compactMap { from, to in
            let members = changes.filter { $0.old.decision == from && $0.new.decision == to }
            return members.isEmpty ? nil : Group(from: from, to: to, changes: members)
        }
    }
}
