import Foundation
import Logging

/// The four files of a queue directory.
enum QueueName: String, CaseIterable, Sendable {
    case approve, hold, reject, errors

    public init(_ decision: Action) {
        switch decision {
        case .approve: self = .approve
        case .hold: self = .hold
        case .reject: self = .reject
        }
    }

    public var fileName: String { "\(rawValue).jsonl" }

    /// The queue's place in `allCases`.
    var slot: Int {
        switch self {
        case .approve: return 0
        case .hold: return 1
        case .reject: return 2
        case .errors: return 3
        }
    }
}
