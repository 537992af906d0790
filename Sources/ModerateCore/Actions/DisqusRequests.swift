/// `moderate actions --for disqus`: the requests Disqus's API 3.0 takes for moderation, one
/// JSON object a line, each for a batch of posts:
///
///     {"endpoint":"posts/approve","url":"https://disqus.com/api/3.0/posts/approve.json","post":["9001","9003"],"form":"post=9001&post=9003"}
///
/// `posts/approve`, `posts/spam` and `posts/remove` are POST requests that take `post` once
/// per post ("allows multiple"), with the moderator's `access_token`, `api_key` and
/// `api_secret` added by the caller: `form` is that body without them, ready for
/// `curl --data "$form&access_token=…"`. The ids are digits only (`ActionPlan.isPlatformID`).
/// Approve goes to `posts/approve`; reject to `posts/spam` (Disqus learns from it) or, when
/// asked, `posts/remove` (deletes the post). Hold has no request: the API cannot make a post
/// pending again.
public enum DisqusRequests {
    public enum RejectWith: String, CaseIterable, Sendable { case spam, remove }

    /// Posts per request (the API's own limits are per hour, not per request: fewer requests
    /// spend less of them).
    public static let batchSize = 100

    public static func render(_ plan: ActionPlan, rejectWith: RejectWith = .spam, batchSize: Int = batchSize) -> [UInt8] {
        var bytes: [UInt8] = []
        for (action, endpoint) in [(Action.approve, "posts/approve"), (.reject, "posts/" + rejectWith.rawValue)] {
            let ids = plan.siteIDs(for: action)
            precondition(ids.allSatisfy(ActionPlan.isPlatformID), "only validated ids reach the requests")
            var start = 0
            while start < ids.count {
                let batch = Array(ids[start..<min(start + batchSize, ids.count)])
                var writer = JSONWriter(capacity: 128 + batch.count * 24)
                writer.beginObject()
                writer.field("endpoint", endpoint)
                writer.field("url", "https://disqus.com/api/3.0/\(endpoint).json")
                writer.stringArray("post", batch)
                writer.field("form", batch.map { "post=" + $0 }.joined(separator: "&"))
                writer.endObject()
                bytes += writer.bytes
                bytes.append(0x0A)
                start += batchSize
            }
        }
        return bytes
    }
}
