/// What the platform's own export said about a comment, kept from its queue record, so that
/// `moderate actions` can leave out what the site already does.
public enum SiteStatus: Equatable, Sendable {
    /// A WordPress record (WXR or WP-CLI JSON): `wp_approved` as WordPress wrote it
    /// (`1`, `0`, `spam`, `trash`, `post-trashed`).
    case wordpress(approved: String)
    /// A Disqus record: its `isSpam` and `isDeleted`.
    case disqus(isSpam: Bool, isDeleted: Bool)
    /// Any other source: nothing known about the site.
    case unknown

    /// Reads it from a queue record's top-level fields.
    init(record: [String: Any]) {
        if let approved = record["wp_approved"] as? String {
            self = .wordpress(approved: approved)
        } else if record["disqus_is_spam"] != nil || record["disqus_is_deleted"] != nil
                    || record["disqus_thread_found"] != nil || record["disqus_import_id"] != nil {
            self = .disqus(isSpam: record["disqus_is_spam"] as? Bool == true,
                           isDeleted: record["disqus_is_deleted"] as? Bool == true)
        } else {
            self = .unknown
        }
    }

    /// The queue the site's own status amounts to, when it amounts to one: WordPress's approved
    /// is approve, pending is hold, spam is reject; a Disqus post marked spam is reject.
    /// nil when it says nothing (a Disqus post not marked spam may be approved or pending).
    var queue: Action? {
        switch self {
        case .wordpress(let approved):
            switch approved {
            case "1", "approve", "approved": return .approve
            case "0", "hold": return .hold
            case "spam": return .reject
            default: return nil
            }
        case .disqus(let isSpam, _): return isSpam ? .reject : nil
        case .unknown: return nil
        }
    }

    /// Deleted on the site (WordPress's trash, a deleted Disqus post): the site's people took
    /// it away, and only a person's decision in moderate brings it back.
    var isDeletedOnSite: Bool {
        switch self {
        case .wordpress(let approved): return approved == "trash" || approved == "post-trashed"
        case .disqus(_, let isDeleted): return isDeleted
        case .unknown: return false
        }
    }
}
