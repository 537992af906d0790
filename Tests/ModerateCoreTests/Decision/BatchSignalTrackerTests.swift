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
        #expect(observe(tracker, "Buy cheap pills now at our shop", author: "x").sameBody == 1)
        #expect(observe(tracker, "BUY  cheap ｐｉｌｌｓ now at our shop", author: "y").sameBody == 2)
        #expect(observe(tracker, "buy cheap pills now at our shop!", author: "z").sameBody == 1)
    }

    @Test func everydayTextsRepeatedByManyAreNotCopies() {
        let tracker = BatchSignalTracker(burstWindowSeconds: 600)
        for index in 1...30 {
            #expect(observe(tracker, "first!", author: "reader\(index)").sameBody == 1)
            #expect(observe(tracker, "🔥🔥🔥", author: "reader\(index)").sameBody == 1)
        }
    }

    /// With the whole input counted ahead, the first copy of a flood counts every copy.
    @Test func copiesCountedAheadGiveTheFirstCopyTheWholeCount() throws {
        let flood = "Earn five hundred dollars a day from home, message me"
        let key = try #require(BodyCopyCounts.key(ofNormalizedBody: TextNormalizer.normalize(flood).text))
        var counts = BodyCopyCounts()
        for index in 1...30 { counts.add(key, record: .comment(id: "c\(index)")) }
        let tracker = BatchSignalTracker(burstWindowSeconds: 600, wholeInputCopies: counts)
        #expect(observe(tracker, flood, author: "account1").sameBody == 30)
        #expect(observe(tracker, flood.uppercased(), author: "account2").sameBody == 30)
        // A text the count ahead did not see (stdin after the files) is counted as it comes.
        #expect(observe(tracker, flood + " today", author: "account3").sameBody == 1)
        #expect(observe(tracker, flood + " today", author: "account4").sameBody == 2)
    }

    /// Copies beyond those counted ahead (the file grew in between) are not lost.
    @Test func moreCopiesThanCountedAheadAreCountedAsTheyCome() throws {
        let flood = "Earn five hundred dollars a day from home, message me"
        let key = try #require(BodyCopyCounts.key(ofNormalizedBody: TextNormalizer.normalize(flood).text))
        var counts = BodyCopyCounts()
        counts.add(key, record: .comment(id: "only"))
        let tracker = BatchSignalTracker(burstWindowSeconds: 600, wholeInputCopies: counts)
        #expect((1...3).map { observe(tracker, flood, author: "a\($0)").sameBody } == [1, 2, 3])
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

@Suite struct BatchSignalTrackerWindowTests {
    func observe(_ tracker: BatchSignalTracker, _ body: String, author: String) -> BatchSignals {
        tracker.observe(PreparedComment(Comment(id: nil, fields: [.author: author, .body: body])))
    }

    /// Copies and bursts are exact within the window of remembered texts and authors: the
    /// same text and the same author come back after three others (a window of four), and
    /// are counted every time.
    @Test func signalsAreExactWithinTheWindow() {
        let tracker = BatchSignalTracker(burstWindowSeconds: 600, rememberedKeys: 4)
        for copy in 1...10 {
            let signals = observe(tracker, "Earn five hundred dollars a day from home", author: "flooder")
            #expect(signals.sameBody == copy)
            #expect(signals.authorBurst == copy)
            for other in 0..<3 { _ = observe(tracker, "A different long text number \(copy) \(other)", author: "r\(copy)-\(other)") }
        }
    }

    /// Past twice the window of other texts and authors in between, they are forgotten: this
    /// is the signals' bound (README, "Batch signals").
    @Test func signalsForgetPastTwiceTheWindow() {
        let tracker = BatchSignalTracker(burstWindowSeconds: 600, rememberedKeys: 4)
        #expect(observe(tracker, "Earn five hundred dollars a day from home", author: "flooder").sameBody == 1)
        for other in 0..<8 { _ = observe(tracker, "A different long text number \(other)", author: "r\(other)") }
        let again = observe(tracker, "Earn five hundred dollars a day from home", author: "flooder")
        #expect(again.sameBody == 1)
        #expect(again.authorBurst == 1)
    }
}
