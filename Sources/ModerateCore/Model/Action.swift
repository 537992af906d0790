import PCRE2

/// What a rule does when it fires, ordered from mildest to most severe.
public enum Action: String, Sendable, Comparable, CaseIterable {
    case approve, hold, reject

    var severity: Int {
        switch self {
        case .approve: return 0
        case .hold: return 1
        case .reject: return 2
        }
    }

    public static func < (lhs: Action, rhs: Action) -> Bool { lhs.severity < rhs.severity }
}
