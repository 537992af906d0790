import Foundation
import PCRE2
@testable import ModerateCore
import Testing

@Suite struct BodyCopyCountsTests {
    static let flood = "Earn five hundred dollars a day from home, message me for the details"

    func key(_ body: String) -> UInt64? {
        BodyCopyCounts.key(ofNormalizedBody: TextNormalizer.normalize(body).text)
    }

    func jsonLine(id: String?, author: String, body: String) -> String {
        var object: [String: Any] = ["author": author, "body": body]
        if let id { object["id"] = id }
        return String(decoding: try! JSONSerialization.data(withJSONObject: object, options: [.sortedKeys]), as: UTF8.self)
    }

    func counting(_ paths: [String]) throws -> BodyCopyCounts {
        // Standard input is opened as JSON lines: detecting its format would read from it.
        let readers = try paths.map { try CommentReaders.open(InputSource(path: $0), format: $0 == "-" ? .jsonl : nil) }
        return try BodyCopyCounts.counting(readers, format: nil, options: ReadOptions())
    }

    @Test(arguments: ["wow", "first!", "nice", "thanks", "Thank you so much!", "🔥🔥🔥", "👏 👏 👏", "great video :)",
                      "I love this song", "the best song ever!", "", "1234567890 1234567890 1234567890"])
    func everydayTextsAreNeverCountedAsCopies(body: String) {
        #expect(key(body) == nil)
    }

    @Test func aSentenceIsCountedAndItsDisguisesFoldTogether() throws {
        let plain = try #require(key("Buy cheap pills now from our online pharmacy"))
        #expect(key("BUY  cheap ｐｉｌｌｓ now from our online ph4rmacy") == plain)
        #expect(key("Buy cheap pills now from our online pharmacy, friend") != plain)
        // Sixteen letters is the least that counts; digits and emoji are not letters.
        #expect(key("abcde fghij klmno 🔥 2024") == nil)
        #expect(key("abcde fghij klmnop 🔥 2024") != nil)
    }

    @Test func theSameRecordMetAgainIsNotAnotherCopy() throws {
        var counts = BodyCopyCounts()
        let body = try #require(key(Self.flood))
        counts.add(body, record: .comment(id: "c1"))
        counts.add(body, record: .comment(id: "c1"))
        counts.add(body, record: .comment(id: "c2"))
        #expect(counts.copies(of: body) == 2)
        #expect(counts.copies(of: try #require(key(Self.flood + " today"))) == nil)
    }

    @Test func pastItsBoundTheTableLeavesNewBodiesToBeCountedAsTheyCome() throws {
        var counts = BodyCopyCounts(maximumBodies: 2)
        let bodies = try (1...3).map { try #require(key("\(Self.flood) number \(String(repeating: "x", count: $0))")) }
        for (index, body) in bodies.enumerated() { counts.add(body, record: .comment(id: "c\(index)")) }
        counts.add(bodies[0], record: .comment(id: "again"))
        #expect(counts.copies(of: bodies[0]) == 2)
        #expect(counts.copies(of: bodies[2]) == nil)
        #expect(counts.distinctBodies == 2)
        #expect(counts.commentsLeftOut == 1)
        #expect(!counts.coversWholeInput)
        #expect(CopyCounting(counts) == .partlyAsTheyCome)
    }

    /// A deterministic stream of body keys with many copies and many bodies met once, and the
    /// exact counts of distinct records a key, kept in a plain dictionary.
    func stream(bodies: Int, comments: Int, seed: UInt64) -> (adds: [(UInt64, RecordKey)], exact: [UInt64: Int]) {
        var state = seed
        func next() -> UInt64 {
            state &+= 0x9E37_79B9_7F4A_7C15
            var z = state
            z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
            z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
            return z ^ (z >> 31)
        }
        let keys = (0..<bodies).map { $0 == 0 ? 0 : next() }  // key 0 is among them
        var adds: [(UInt64, RecordKey)] = []
        var exact: [UInt64: Int] = [:]
        for index in 0..<comments {
            // Half the comments fall on the first 1% of the bodies (floods), half anywhere.
            let roll = next()
            let body = keys[Int(roll % UInt64(roll & 1 == 0 ? max(1, bodies / 100) : bodies))]
            let record = RecordKey.comment(id: "r\(index)")
            adds.append((body, record))
            exact[body, default: 0] += 1
            if index % 7 == 0 { adds.append((body, record)) }  // the same record met again: no copy
        }
        return (adds, exact)
    }

    @Test func belowItsBoundsEveryCountIsExactThroughTheTablesGrowing() {
        let (adds, exact) = stream(bodies: 20_000, comments: 60_000, seed: 1)
        var counts = BodyCopyCounts()
        for (key, record) in adds { counts.add(key, record: record) }
        #expect(counts.distinctBodies == exact.count)
        #expect(counts.repeatedBodies == exact.values.count(where: { $0 > 1 }))
        #expect(counts.coversWholeInput)
        // Grown from 16 slots to the least power of two of which 3/4 holds the bodies.
        #expect(counts.capacity == BodyCopyCounts.capacity(for: exact.count, atMost: 1 << 19))
        #expect(counts.capacity >= 8_192)
        var wrong = 0
        for (key, copies) in exact where counts.copies(of: key) != copies { wrong += 1 }
        #expect(wrong == 0)
        #expect(counts.copies(of: 0x1234_5678_9ABC_DEF1) == nil)
    }

    /// Past either bound a body is left out whole: its count is nil (counted as they come, so
    /// never higher than the truth), and every body still counted ahead has its exact count.
    @Test(arguments: [(500, 40), (2_000, 5), (300, 1_000_000)])
    func pastItsBoundsACountIsExactOrLeftOutNeverHigher(maximumBodies: Int, maximumRepeated: Int) {
        let (adds, exact) = stream(bodies: 5_000, comments: 20_000, seed: UInt64(maximumBodies))
        var counts = BodyCopyCounts(maximumBodies: maximumBodies, maximumRepeatedBodies: maximumRepeated)
        for (key, record) in adds { counts.add(key, record: record) }
        #expect(counts.distinctBodies == maximumBodies)
        #expect(counts.repeatedBodies <= maximumRepeated)
        #expect(!counts.coversWholeInput)
        var counted = 0, leftOut = 0
        for (key, copies) in exact {
            if let ahead = counts.copies(of: key) {
                #expect(ahead == copies)
                counted += 1
            } else {
                leftOut += copies
            }
        }
        #expect(counted > 0)
        #expect(counts.commentsLeftOut >= leftOut)  // and the same records met again
    }

    @Test func theTableIsSizedForTheInputAndNeverPastItsBound() {
        var small = BodyCopyCounts()
        small.reserve(comments: 100_000)
        small.add(42, record: .comment(id: "a"))
        #expect(small.capacity == 262_144)  // 3/4 of it holds 100,000 distinct bodies: 3 MiB
        var large = BodyCopyCounts()
        large.reserve(comments: 10_000_000)
        for index in 0..<(BodyCopyCounts.maximumBodies + 1_000) {
            large.add(UInt64(index) &* 0x9E37_79B9_7F4A_7C15 | 1, record: .comment(id: "\(index)"))
        }
        #expect(large.capacity == 1 << 19)  // 6 MiB of keys and tags, however long the input
        #expect(large.distinctBodies == BodyCopyCounts.maximumBodies)
        #expect(large.commentsLeftOut == 1_000)
    }

    /// A body met once keeps its record's tag: that record met again is still one comment;
    /// met again from another record, its count moves to the dictionary of repeated bodies.
    @Test func aBodyMetOnceThenAgainFromItsOwnRecordOrAnother() throws {
        var counts = BodyCopyCounts(maximumBodies: 8, maximumRepeatedBodies: 1)
        let one = try #require(key(Self.flood)), two = try #require(key(Self.flood + " today"))
        counts.add(one, record: .comment(id: "c1"))
        counts.add(one, record: .comment(id: "c1"))
        #expect(counts.copies(of: one) == 1)
        counts.add(one, record: .comment(id: "c2"))
        counts.add(one, record: .comment(id: "c2"))
        counts.add(one, record: .comment(id: "c1"))
        #expect(counts.copies(of: one) == 3)
        // The dictionary of bodies met more than once is full: the second such body is left out.
        counts.add(two, record: .comment(id: "d1"))
        counts.add(two, record: .comment(id: "d2"))
        counts.add(two, record: .comment(id: "d3"))
        #expect(counts.copies(of: two) == nil)
        #expect(counts.commentsLeftOut == 3)
        #expect(CopyCounting(counts) == .partlyAsTheyCome)
    }

    @Test func everyCommentOfEveryFileIsCountedPlainOrCompressedAndInAnyFormat() throws {
        let floodLines = (1...30).map { jsonLine(id: "f\($0)", author: "account\($0)", body: Self.flood) }
        let everyday = (1...30).map { jsonLine(id: "e\($0)", author: "reader\($0)", body: "first!") }
        let first = try scratchFile("first.jsonl", Array((floodLines[..<20] + everyday).joined(separator: "\n").utf8) + [0x0A])
        let compressed = try scratchFile("second.jsonl.gz", try gzip(floodLines[20...].joined(separator: "\n") + "\n"))
        let csv = try scratchFile("third.csv", Array("id,author,body\nx1,someone,\"\(Self.flood)\"\n".utf8))
        let counts = try counting([first, compressed, csv])
        #expect(counts.copies(of: try #require(key(Self.flood))) == 31)
        #expect(counts.distinctBodies == 1)
        #expect(counts.inputsCounted == 3)
        #expect(CopyCounting(counts) == .wholeInput)
    }

    /// Batches of 1,024 normalised on several threads, exact copies not normalised again:
    /// the same counts as one thread, the disguised copies folded with the plain ones.
    @Test func theCountIsTheSameOnAnyNumberOfThreadsAcrossBatches() throws {
        let disguised = "EARN five hundred dollars a day fr0m home, message me for the details"
        let lines = (0..<3_000).map { index -> String in
            switch index % 3 {
            case 0: return jsonLine(id: "f\(index)", author: "a\(index)", body: Self.flood)
            case 1: return jsonLine(id: "d\(index)", author: "a\(index)", body: disguised)
            default: return jsonLine(id: "o\(index)", author: "a\(index)", body: "Ordinary comment number \(index) about the film")
            }
        }
        let export = try scratchFile("export.jsonl", Array((lines.joined(separator: "\n") + "\n").utf8))
        let reader = { try CommentReaders.open(InputSource(path: export)) }
        let one = try BodyCopyCounts.counting([try reader()], format: nil, options: ReadOptions(), jobs: 1)
        let three = try BodyCopyCounts.counting([try reader()], format: nil, options: ReadOptions(), jobs: 3)
        let flood = try #require(key(Self.flood))
        #expect(one.copies(of: flood) == 2_000)
        #expect(three.copies(of: flood) == 2_000)
        #expect(one.distinctBodies == 1_001 && three.distinctBodies == 1_001)
    }

    /// SIGTERM during the pass: it ends after the batch it is on, and says it is not whole.
    @Test func aStopRequestEndsThePassAfterItsBatch() throws {
        let lines = (0..<3_000).map { jsonLine(id: "f\($0)", author: "a\($0)", body: Self.flood) }
        let export = try scratchFile("export.jsonl", Array((lines.joined(separator: "\n") + "\n").utf8))
        let counts = try BodyCopyCounts.counting([try CommentReaders.open(InputSource(path: export))], format: nil,
                                                 options: ReadOptions(), stopRequested: { true })
        #expect(counts.copies(of: try #require(key(Self.flood))) == BodyCopyCounts.batchRecords)
        #expect(CopyCounting(counts) == .partlyAsTheyCome)
    }

    @Test func standardInputIsNotReadAheadItsCommentsCountAsTheyCome() throws {
        let file = try scratchFile("file.jsonl", Array((jsonLine(id: "a", author: "x", body: Self.flood) + "\n").utf8))
        let counts = try counting([file, "-"])
        #expect(counts.inputsCounted == 1 && counts.inputsNotCounted == 1)
        #expect(CopyCounting(counts) == .partlyAsTheyCome)
        #expect(CopyCounting(try counting(["-"])) == .asTheyCome)
        #expect(CopyCounting(nil) == .asTheyCome)
    }

    /// The pass reads only `body` and `id` of a JSON line; it must see the body and key the
    /// run sees, and decode in full what it cannot read that way.
    @Test func aLineReadForItsBodyGivesTheBodyAndKeyOfTheDecodedComment() throws {
        let lines = [
            jsonLine(id: "a1", author: "Ann", body: "plain"),
            #"{"id":7,"body":"esc \" \n \u00e9 \ud83d\ude00","post":{"nested":[1]}}"#,
            jsonLine(id: nil, author: "Bo", body: "no id: the key derives from every field"),
            #"{"body":"dup","author":"a","author":"b","id":"d"}"#,
            #"{"body":"old verdict","id":"m","moderation":{"decision":"hold"}}"#,
            #"{"id":"no body"}"#,
        ]
        for line in lines {
            let item = ReadItem.jsonLine(line: Array(line.utf8), source: "t", lineNumber: 1)
            let read = BodyCopyCounts.bodyAndRecord(of: item)
            guard case .comment(let input) = item.decode() else {
                #expect(read == nil, "\(line)")
                continue
            }
            #expect(read?.body == input.comment[.body], "\(line)")
            #expect(read?.record == RecordKey.comment(input.comment), "\(line)")
        }
    }
}
