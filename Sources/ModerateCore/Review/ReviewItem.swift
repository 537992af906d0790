import Foundation

/// A held comment as the review screen shows it, read from its queue record.
public struct ReviewItem: Sendable {
    public struct Hit: Sendable, Equatable {
        public var field: String
        /// Byte offsets in the field's UTF-8.
        public var start: Int
        public var end: Int
        public var text: String
        /// What a normalised hit read as (lookalikes folded, spaced letters joined).
        public var normalized: String?
        /// `normalized` when it says more than `text` (not merely the same in other letter case).
        public var readAs: String? {
            guard let normalized, normalized.lowercased() != text.lowercased() else { return nil }
            return normalized
        }
    }

    public struct FiredRule: Sendable, Equatable {
        public var rule: String
        public var score: Double
        public var action: String?
        public var hits: [Hit]
    }

    public var id: String
    public var author: String
    public var email: String
    public var url: String
    public var date: String
    public var post: String
    public var postTitle: String
    public var body: String
    public var fired: [FiredRule]
    /// The rules' decision sentence (`moderation.reason`).
    public var reason: String
    /// The fingerprint of the rule set that held it (`moderation.rules`).
    public var fingerprint: String?

    /// Nil when the line is not a queue record.
    public init?(recordLine line: some Collection<UInt8>) {
        guard let record = try? JSONSerialization.jsonObject(with: Data(line)) as? [String: Any],
              let moderation = record["moderation"] as? [String: Any],
              let id = moderation["id"] as? String else { return nil }
        self.id = id
        author = Self.text(record["author"])
        email = Self.text(record["author_email"])
        url = Self.text(record["author_url"])
        date = Self.text(record["date"])
        post = Self.text(record["post"])
        postTitle = Self.text(record["post_title"])
        body = Self.text(record["body"])
        reason = Self.text(moderation["reason"])
        fingerprint = moderation["rules"] as? String
        fired = ((moderation["fired"] as? [[String: Any]]) ?? []).map { rule in
            FiredRule(rule: Self.text(rule["rule"]), score: (rule["score"] as? NSNumber)?.doubleValue ?? 0,
                      action: rule["action"] as? String,
                      hits: ((rule["hits"] as? [[String: Any]]) ?? []).map { hit in
                          Hit(field: Self.text(hit["field"]), start: hit["start"] as? Int ?? 0, end: hit["end"] as? Int ?? 0,
                              text: Self.text(hit["text"]), normalized: hit["normalized"] as? String)
                      })
        }
    }

    /// The byte ranges of the body that a rule fired on, merged and in order.
    public var bodyHighlights: [Range<Int>] {
        let count = body.utf8.count
        // A normalised view's offsets are in the original body (RuleHit); links' and
        // signals' are in their derived text, so they are not drawn on the body.
        let ranges = fired.flatMap(\.hits).filter { $0.field == "body" || ($0.field.hasPrefix("body.") && $0.normalized != nil) }
            .map { max(0, min($0.start, count))..<max(0, min($0.end, count)) }
            .filter { !$0.isEmpty }.sorted { $0.lowerBound < $1.lowerBound }
        var merged: [Range<Int>] = []
        for range in ranges {
            if let last = merged.last, range.lowerBound <= last.upperBound {
                merged[merged.count - 1] = last.lowerBound..<max(last.upperBound, range.upperBound)
            } else {
                merged.append(range)
            }
        }
        return merged
    }

    /// A JSON value as text: strings as they are, numbers (a WordPress post id) written out.
    static func text(_ value: Any?) -> String {
        switch value {
        case let string as String: return string
        case let number as NSNumber: return number.stringValue
        default: return ""
        }
    }
}
