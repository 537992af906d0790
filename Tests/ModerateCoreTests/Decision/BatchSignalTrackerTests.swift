import Foundation
import PCRE2
@testable import ModerateCore
import Testing

@Suite struct BatchSignalTrackerTests {
    func observe(_ tracker: BatchSignalTracker, _ body: String, author: String = "a", date: String? = nil) -> BatchSignals {
        var fields: [CommentField: String] = [.author: author, .body: body]
        if let date { fields[.date] = date }
        return tracker.observe(PreparedComment(Comment(id: nil, fields: fields)))
    }

    @Test func copiesOfTheSameTextAreCountedThroughObfuscation() {
        let tracker = BatchSignalTracker(burstWindowSeconds: 600)
        #expect(observe(tracker, "Buy cheap pills now", author: "x").sameBody == 1)
        #expect(observe(tracker, "BUY  cheap ｐｉｌｌｓ now", author: "y").sameBody == 2)
        #expect(observe(tracker, "buy cheap pills now!", author: "z").sameBody == 1)
    }

    @Test func aBurstIsCountedWithinTheWindowOnly() {
        let tracker = BatchSignalTracker(burstWindowSeconds: 600)
        #expect(observe(tracker, "one", date: "2026-03-01T10:00:00Z").authorBurst == 1)
        #expect(observe(tracker, "two", date: "2026-03-01 10:04:00").authorBurst == 2)
        #expect(observe(tracker, "three", date: "2026-03-01T12:09:00+02:00").authorBurst == 3)  // 10:09 UTC
        #expect(observe(tracker, "four", date: "2026-03-01T11:00:00Z").authorBurst == 1)
        #expect(observe(tracker, "other author", author: "b", date: "2026-03-01T10:01:00Z").authorBurst == 1)
    }

    @Test func datesFromExportsAreRead() {
        #expect(CommentDate.seconds(from: "1970-01-02T00:00:00") == 86_400)
        #expect(CommentDate.seconds(from: "2014-10-01T19:53:07.387000") == 1_412_193_187)
        #expect(CommentDate.seconds(from: "yesterday") == nil)
    }
}
