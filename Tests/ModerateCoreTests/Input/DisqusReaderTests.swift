import Foundation
@testable import ModerateCore
import Testing

@Suite struct DisqusReaderTests {
    @Test func postsAreJoinedToTheirThreadsTitleAndLink() throws {
        let result = try readAll(fixture("disqus-export.xml"))
        #expect(result.errors.isEmpty, "\(result.errors)")
        #expect(result.comments.count == 7)
        let first = try result.record("9001")
        #expect(first["post"] as? String == "7001")
        #expect(first["post_title"] as? String == "Why \"Stalker\" still works")
        #expect(first["post_link"] as? String == "https://night-screenings.example/2024/02/stalker/")
        #expect(first["author"] as? String == "Anna K.")
        #expect(first["author_username"] as? String == "annak")
        #expect(first["author_email"] as? String == "anna@example.org")
        #expect(first["ip"] as? String == "203.0.113.7")
        #expect(first["date"] as? String == "2024-02-12T10:02:00Z")
        #expect(first["disqus_is_spam"] as? Bool == false)
        #expect(try result.comment("9001")[.body] == "<p>The long take at the well: I watched it twice.</p>")
        #expect(try result.comment("9002")[.parent] == "9001")
        #expect(try result.record("9002")["disqus_import_id"] as? String == "wp_id=502")
        #expect(try result.record("9007")["post_title"] as? String == "Mirror & memory")
        #expect(try result.comment("9007")[.parent] == "9005")
    }

    @Test func postsWhoseThreadIsMissingOrLaterAreStillModerated() throws {
        let result = try readAll(fixture("disqus-export.xml"))
        let early = try result.record("9005")
        #expect(early["post"] as? String == "7002")
        #expect(early["post_title"] == nil)
        #expect(early["disqus_thread_found"] as? Bool == false)
        let orphan = try result.record("9006")
        #expect(orphan["post"] as? String == "7999")
        #expect(orphan["disqus_thread_found"] as? Bool == false)
    }

    @Test func spamAndDeletedFlagsAreKeptAndAnEmptyIDIsDerived() throws {
        let result = try readAll(fixture("disqus-export.xml"))
        #expect(try result.record("9003")["disqus_is_spam"] as? Bool == true)
        let anonymous = try #require(result.comments.first { $0.comment[.author] == "Guest" })
        #expect(anonymous.comment.idWasDerived)
        #expect(anonymous.comment.id.hasPrefix("sha256:"))
        let record = try #require(try JSONSerialization.jsonObject(with: Data(anonymous.originalJSON)) as? [String: Any])
        #expect(record["disqus_is_deleted"] as? Bool == true)
    }

    @Test func aPostMissingItsEndTagCostsOnlyItself() throws {
        let export = """
            <disqus xmlns:dsq="http://disqus.com/disqus-internals">
            <thread dsq:id="1"><title>T</title><link>https://t.example/</link></thread>
            <post dsq:id="10"><message>cut short</message><thread dsq:id="1" />
            <post dsq:id="11"><message>whole</message><thread dsq:id="1" /></post>
            </disqus>
            """
        let result = try readAll(try scratchFile("cut.xml", Array(export.utf8)))
        #expect(result.ids == ["11"])
        #expect(try result.record("11")["post_title"] as? String == "T")
        #expect(result.errors.map(\.reason) == ["<post> is not closed before the next <post>"])
        #expect(result.errors.map(\.line) == [3])
    }

    @Test func aGzipExportReadsLikeThePlainOne() throws {
        let plain = try readAll(fixture("disqus-export.xml"))
        let compressed = try readAll(fixture("disqus-export.xml.gz"))
        #expect(compressed.errors.isEmpty)
        #expect(compressed.ids == plain.ids)
        #expect(compressed.comments.map(\.originalJSON) == plain.comments.map(\.originalJSON))
    }

    @Test func aTruncatedGzipFileKeepsWhatCameBeforeAndReportsTheCut() throws {
        let bytes = try Array(Data(contentsOf: fixturesDirectory.appendingPathComponent("disqus-export.xml.gz")))
        let result = try readAll(try scratchFile("cut.xml.gz", Array(bytes.prefix(bytes.count * 3 / 4))))
        #expect(!result.comments.isEmpty)
        #expect(result.comments.count < 7)
        #expect(result.errors.contains { $0.reason.contains("gzip stream ends early") })
    }

    /// As for WordPress (WXRReaderTests): a post nested 50,000 deep is an error, the rest is read.
    @Test func aPostNestedFiftyThousandDeepIsAnErrorAndTheOthersAreRead() throws {
        let deep = String(repeating: "<b>", count: 50_000) + "x" + String(repeating: "</b>", count: 50_000)
        func post(_ id: String, _ message: String) -> String {
            #"<post dsq:id="\#(id)"><message>\#(message)</message><thread dsq:id="1"/></post>"#
        }
        let export = """
            <disqus xmlns="http://disqus.com" xmlns:dsq="http://disqus.com/disqus-internals">
            \(post("1", "before"))
            \(post("2", deep))
            \(post("3", "after"))
            </disqus>
            """
        let result = try readAll(try scratchFile("deep.xml", Array(export.utf8)))
        #expect(result.ids == ["1", "3"])
        #expect(result.errors.map(\.line) == [3])
        #expect(result.errors.first?.reason.contains("nested deeper than 256 levels") == true)
    }
}
