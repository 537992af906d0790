import Foundation

/// What the site must do, from a queue directory's `QueueState` (README, "Applying decisions
/// to the site"): per comment whose state has not been emitted yet, the action and the id the
/// platform knows it by, and for every comment left out, why.
public struct ActionPlan {
    public struct Item: Equatable, Sendable {
        /// The id in the queues and decisions (`moderation.id`): the ledger's key.
        public var id: String
        /// The id given to the site: a WordPress comment id or Disqus post id (digits only,
        /// checked), or for CSV the same as `id`.
        public var siteID: String
        public var action: Action
    }

    /// Why a comment gets no action.
    public enum LeftOut: Hashable, Sendable, CustomStringConvertible {
        /// Its time is before `--since`.
        case beforeSince
        /// The site's status already is its queue (WordPress approved and approve, …).
        case alreadyOnSite
        /// Emitted before with this same action (see `ActionsLedger`).
        case alreadyEmitted
        /// Not from this platform's export (a WordPress action for a CSV record).
        case otherPlatform
        /// Its id is not a valid platform id: never written into the output.
        case invalidID
        /// Deleted on the site (WordPress trash, a deleted Disqus post) and not decided by a
        /// person: a rule does not bring it back.
        case deletedOnSite
        /// Held, and Disqus's API has no way to put a post back in the pending queue.
        case noDisqusHold

        public var description: String {
            switch self {
            case .beforeSince: return "before --since"
            case .alreadyOnSite: return "already so on the site"
            case .alreadyEmitted: return "already emitted"
            case .otherPlatform: return "not from this platform's export"
            case .invalidID: return "not a valid platform id"
            case .deletedOnSite: return "deleted on the site"
            case .noDisqusHold: return "held (Disqus's API cannot make a post pending)"
            }
        }
    }

    public private(set) var items: [Item] = []
    public private(set) var leftOut: [LeftOut: Int] = [:]
    /// The first ids refused as invalid, as they were (untrusted: print through terminalSafe).
    public private(set) var invalidIDs: [String] = []
    public static let invalidIDsKept = 20

    /// - Parameters:
    ///   - since: leave out comments whose time (`QueueState.Entry.time`) is before it; a
    ///     comment with no readable time is kept (nothing says it is older).
    ///   - emitted: the ledger's last action per id; nil (`--all`) emits everything.
    public init(state: QueueState, target: ActionTarget, since: Date? = nil, emitted: [String: Action]?) {
        for id in state.ids {
            let entry = state.entries[id]!
            if let since, let time = entry.time.flatMap(QueueTime.parse), time < since {
                leave(.beforeSince)
                continue
            }
            let siteID: String
            switch target {
            case .csv:
                siteID = id
            case .wpCLI, .disqus:
                switch (target, entry.site) {
                case (.wpCLI, .wordpress), (.disqus, .disqus): break
                default: leave(.otherPlatform); continue
                }
                guard let platformID = entry.platformID, Self.isPlatformID(platformID) else {
                    leave(.invalidID)
                    if invalidIDs.count < Self.invalidIDsKept { invalidIDs.append(entry.platformID ?? id) }
                    continue
                }
                if entry.site.isDeletedOnSite && !entry.decidedByPerson { leave(.deletedOnSite); continue }
                if entry.site.queue == entry.queue { leave(.alreadyOnSite); continue }
                if target == .disqus && entry.queue == .hold { leave(.noDisqusHold); continue }
                siteID = platformID
            }
            if let emitted, emitted[id] == entry.queue { leave(.alreadyEmitted); continue }
            items.append(Item(id: id, siteID: siteID, action: entry.queue))
        }
    }

    private mutating func leave(_ reason: LeftOut) { leftOut[reason, default: 0] += 1 }

    /// WordPress comment ids and Disqus post ids are positive integers (WordPress: a
    /// `bigint unsigned`): 1 to 20 ASCII digits, no leading zero. Anything else, a `$(…)` or a
    /// newline in an export, is refused here and so never reaches a script.
    public static func isPlatformID(_ text: String) -> Bool {
        let bytes = Array(text.utf8)
        guard (1...20).contains(bytes.count), bytes[0] != UInt8(ascii: "0") else { return false }
        return bytes.allSatisfy { $0 >= UInt8(ascii: "0") && $0 <= UInt8(ascii: "9") }
    }

    /// The site ids of each action, in plan order.
    public func siteIDs(for action: Action) -> [String] {
        items.filter { $0.action == action }.map(\.siteID)
    }
}
