import Foundation
import Testing
@testable import ModerateCore

let fixturesDirectory = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
    .deletingLastPathComponent().appendingPathComponent("fixtures")

/// Everything a reader gives for an input: comments (with their records parsed) and errors.
struct ReadResult {
    var comments: [InputComment] = []
    var errors: [InputError] = []

    func record(_ id: String) throws -> [String: Any] {
        let input = try #require(comments.first { $0.comment.id == id }, "no comment \(id)")
        return try #require(try JSONSerialization.jsonObject(with: Data(input.originalJSON)) as? [String: Any])
    }

    func comment(_ id: String) throws -> ModerateCore.Comment {
        try #require(comments.first { $0.comment.id == id }?.comment, "no comment \(id)")
    }

    var ids: [String] { comments.map(\.comment.id) }
}

func readAll(_ path: String, format: InputFormat? = nil, map: [CommentField: String] = [:]) throws -> ReadResult {
    let reader = try CommentReaders.open(InputSource(path: path), format: format, options: ReadOptions(columnMap: map))
    var result = ReadResult()
    while let item = try reader.next() {
        switch item {
        case .comment(let input):
            // Every record a reader builds must be a JSON object the queue writer can extend.
            _ = try #require(try JSONSerialization.jsonObject(with: Data(input.originalJSON)) as? [String: Any])
            result.comments.append(input)
        case .error(let error): result.errors.append(error)
        }
    }
    return result
}

func fixture(_ name: String) -> String { fixturesDirectory.appendingPathComponent(name).path }

func scratchFile(_ name: String, _ bytes: [UInt8]) throws -> String {
    let directory = FileManager.default.temporaryDirectory.appendingPathComponent("moderate-readers-\(UUID().uuidString)")
    try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
    let url = directory.appendingPathComponent(name)
    try Data(bytes).write(to: url)
    return url.path
}

@Suite struct WordPressReaderTests {
    @Test func everyCommentOfEveryPostIsReadWithThePostsTitleAndLink() throws {
        let result = try readAll(fixture("wordpress-export.xml"))
        #expect(result.errors.isEmpty, "\(result.errors)")
        // The fake </wp:comment> inside the post's CDATA content does not end anything.
        #expect(result.ids == ["501", "502", "503", "504", "601", "602"])
        let first = try result.record("501")
        #expect(first["post"] as? String == "101")
        #expect(first["post_title"] as? String == "Why \"Stalker\" still works")
        #expect(first["post_link"] as? String == "https://night-screenings.example/2024/02/stalker/")
        #expect(first["author_email"] as? String == "anna@example.org")
        #expect(first["ip"] as? String == "203.0.113.7")
        #expect(first["date"] as? String == "2024-02-12 10:02:00")
        #expect((first["wp_meta"] as? [String: String])?["akismet_result"] == "false")
        // Entities inside CDATA are the HTML's own and stay as written.
        #expect(try result.comment("501")[.body] == "<p>The long take at the well &amp; the dog: I watched it twice.</p>")
        let second = try result.record("601")
        #expect(second["post"] as? String == "102")
        #expect(second["post_title"] as? String == "Mirror & memory")
    }

    @Test func cdataSplitAroundATerminatorIsJoinedBack() throws {
        let result = try readAll(fixture("wordpress-export.xml"))
        #expect(try result.comment("502")[.body] == "Code in a comment: <code>if (a[b[0]]> 1)</code> still reads fine.")
    }

    @Test func escapedHTMLAndCharacterReferencesAreDecodedOutsideCDATA() throws {
        let result = try readAll(fixture("wordpress-export.xml"))
        #expect(try result.comment("504")[.body]
            == "Great post! Buy cheap viagra at <a href=\"https://best-cheap-pills.example/\">our shop</a> \u{2014} fast & discreet")
    }

    @Test func repliesPingbacksTrackbacksAndWordPressStatusAreKept() throws {
        let result = try readAll(fixture("wordpress-export.xml"))
        #expect(try result.comment("502")[.parent] == "501")
        #expect(try result.comment("602")[.parent] == "601")
        #expect(try result.comment("501")[.parent] == nil, "parent 0 means a top-level comment")
        #expect(try result.record("503")["wp_type"] as? String == "pingback")
        #expect(try result.record("602")["wp_type"] as? String == "trackback")
        #expect(try result.record("602")["wp_approved"] as? String == "trash")
        #expect(try result.record("504")["wp_type"] as? String == "comment", "an empty type is a plain comment")
        #expect(try result.record("504")["wp_approved"] as? String == "spam")
        #expect(try result.record("601")["wp_approved"] as? String == "0")
    }

    @Test func brokenCommentsGoToErrorsAndTheOnesAroundThemAreRead() throws {
        let result = try readAll(fixture("wordpress-broken.xml"))
        #expect(result.ids == ["701", "704", "705", "706"])
        #expect(result.errors.map(\.line) == [18, 27])
        #expect(result.errors[0].reason.contains("start and end tags do not match"))
        #expect(result.errors[1].reason == "<wp:comment> is not closed before the next <wp:comment>")
        // Nothing is lost: each error keeps the element's bytes.
        #expect(String(decoding: result.errors[0].raw, as: UTF8.self).contains("<wp:comment_id>702</wp:comment_id>"))
        #expect(String(decoding: result.errors[1].raw, as: UTF8.self).contains("This comment never closes."))
    }

    @Test func htmlEntitiesOutsideCDATAAreKeptAsTextNotLost() throws {
        let result = try readAll(fixture("wordpress-broken.xml"))
        let input = try #require(result.comments.first { $0.comment.id == "704" })
        #expect(input.comment[.body] == "Caf&eacute; is an HTML entity XML does not know")
        #expect(input.repair == "entities XML does not define kept as text")
    }

    @Test func invalidUTF8AndControlCharactersAreRepairedNotLost() throws {
        let result = try readAll(fixture("wordpress-broken.xml"))
        let repaired = try #require(result.comments.first { $0.comment.id == "706" })
        #expect(repaired.comment[.body] == "Old bytes: caf\u{FFFD} and a bell \u{FFFD} here.")
        #expect(repaired.repair?.contains("invalid UTF-8") == true)
        #expect(repaired.repair?.contains("control characters") == true)
    }

    @Test func aTruncatedFileKeepsEverythingBeforeTheCutAndReportsTheCut() throws {
        let result = try readAll(fixture("wordpress-truncated.xml"))
        #expect(result.ids == ["501", "502", "503", "504"])
        #expect(result.errors.count == 1)
        #expect(result.errors.first?.reason == "the file ends inside <wp:comment>: it is truncated")
        #expect(result.errors.first?.line == 96)
        let raw = String(decoding: result.errors.first?.raw ?? [], as: UTF8.self)
        #expect(raw.contains("<wp:comment_id>601</wp:comment_id>"))
    }

    @Test func anExportDeclaredLatin1IsReadAsLatin1() throws {
        var export = Array("""
            <?xml version="1.0" encoding="ISO-8859-1"?>
            <rss xmlns:wp="http://wordpress.org/export/1.2/"><channel><item><title>Caf
            """.utf8) + [0xE9] + Array("""
            </title><wp:post_id>1</wp:post_id>
            <wp:comment><wp:comment_id>1</wp:comment_id><wp:comment_content><![CDATA[cr
            """.utf8)
        export += [0xE8] + Array("me br\u{FB}l\u{E9}e".unicodeScalars.map { UInt8($0.value) })
        export += Array("]]></wp:comment_content></wp:comment></item></channel></rss>".utf8)
        let result = try readAll(try scratchFile("latin1.xml", export))
        #expect(result.errors.isEmpty)
        let input = try #require(result.comments.first)
        #expect(input.comment[.body] == "crème brûlée")
        #expect(input.repair == nil)
        #expect(try result.record("1")["post_title"] as? String == "Café")
    }

    @Test func aCommentOverTheSizeLimitIsCutIntoErrorsAndReadingGoesOn() throws {
        let huge = String(repeating: "spam spam\n", count: 100_000)  // 1 MB, 100,000 lines
        let export = """
            <rss xmlns:wp="http://wordpress.org/export/1.2/"><channel><item>
            <wp:comment><wp:comment_id>1</wp:comment_id><wp:comment_content>before</wp:comment_content></wp:comment>
            <wp:comment><wp:comment_id>2</wp:comment_id><wp:comment_content><![CDATA[\(huge)]]></wp:comment_content></wp:comment>
            <wp:comment><wp:comment_id>3</wp:comment_id><wp:comment_content>after</wp:comment_content></wp:comment>
            </item></channel></rss>
            """
        let file = try InputFile(InputSource(path: try scratchFile("huge.xml", Array(export.utf8))))
        let reader = WXRReader(file: file, maxCommentBytes: 64 << 10)
        var result = ReadResult()
        while let item = try reader.next() {
            switch item {
            case .comment(let input): result.comments.append(input)
            case .error(let error): result.errors.append(error)
            }
        }
        #expect(result.ids == ["1", "3"])
        #expect(result.comments.map(\.line) == [2, 100_004])
        #expect(result.errors.count == 1)
        #expect(result.errors.first?.line == 3)
        #expect(result.errors.first?.raw.count == 64 << 10)
        #expect(result.errors.first?.reason.contains("is longer than 65536 bytes") == true)
    }

    @Test func anUnclosedPostTitleCostsOnlyItself() throws {
        let export = """
            <rss xmlns:wp="http://wordpress.org/export/1.2/"><channel><item>
            <title>Never closed
            <wp:comment><wp:comment_id>1</wp:comment_id><wp:comment_content>still read</wp:comment_content></wp:comment>
            </item></channel></rss>
            """
        let result = try readAll(try scratchFile("title.xml", Array(export.utf8)))
        #expect(result.ids == ["1"])
        #expect(result.errors.map(\.reason) == ["<title> is not closed before the next <wp:comment>"])
        #expect(result.errors.map(\.line) == [2])
    }

    @Test func externalEntitiesInADoctypeAreNeverResolved() throws {
        let export = """
            <?xml version="1.0"?>
            <!DOCTYPE rss [ <!ENTITY secret SYSTEM "file:///etc/hostname"> <!ENTITY greeting "hello"> ]>
            <rss xmlns:wp="http://wordpress.org/export/1.2/"><channel><item><wp:post_id>1</wp:post_id>
            <wp:comment><wp:comment_id>1</wp:comment_id><wp:comment_content>&secret;</wp:comment_content></wp:comment>
            <wp:comment><wp:comment_id>2</wp:comment_id><wp:comment_content>&greeting;</wp:comment_content></wp:comment>
            <wp:comment><wp:comment_id>3</wp:comment_id><wp:comment_content>plain</wp:comment_content></wp:comment>
            </item></channel></rss>
            """
        let result = try readAll(try scratchFile("entities.xml", Array(export.utf8)))
        // Records are parsed without the DTD: no entity it declares is expanded; a reference
        // to one stays the text it is.
        #expect(result.errors.isEmpty)
        #expect(result.ids == ["1", "2", "3"])
        #expect(try result.comment("1")[.body] == "&secret;")
        #expect(try result.comment("2")[.body] == "&greeting;")
    }
}

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
}

@Suite struct CSVReaderTests {
    let map: [CommentField: String] = [.body: "CONTENT", .author: "AUTHOR", .id: "COMMENT_ID", .date: "DATE"]

    @Test func mappedColumnsBecomeFieldsAndTheOthersAreCarried() throws {
        let result = try readAll(fixture("comments.csv"), map: map)
        #expect(result.errors.isEmpty, "\(result.errors)")
        // The byte-order mark does not stick to the first column's name.
        #expect(result.ids == ["c1", "c2", "c3", "c4"])
        let first = try result.record("c1")
        #expect(first["body"] as? String == "Loved it, especially the \"well\" scene.")
        #expect(first["STATUS"] as? String == "approved")
        #expect(first["LIKES"] as? String == "3")
        #expect(first["COMMENT_ID"] == nil, "a mapped column is written once, under its field")
        #expect(try result.comment("c2")[.author] == "Brown, Jo")
        #expect(try result.comment("c4")[.body] == "Zwierciadło — é, “quotes”")
    }

    @Test func quotedFieldsKeepTheirLineBreaksAndRowsKeepTheirFirstLine() throws {
        let result = try readAll(fixture("comments.csv"), map: map)
        #expect(try result.comment("c2")[.body] == "First line\nsecond line, with a comma\n\nthird after a blank line")
        #expect(result.comments.map(\.line) == [2, 3, 7, 9])
    }

    @Test func badRowsGoToErrorsAndTheRestIsRead() throws {
        // Its header is id,author,body,rating: columns named like fields need no map.
        let result = try readAll(fixture("comments-awkward.csv"))
        #expect(result.ids == ["b1", "b3", "b4"])
        #expect(result.errors.map(\.line) == [3, 6])
        #expect(result.errors[0].reason == "row has 5 columns, the header has 4")
        #expect(result.errors[1].reason == "a quoted field is not closed before the end of the file")
        #expect(String(decoding: result.errors[1].raw, as: UTF8.self).contains("b6,Fay"))
        #expect(try result.comment("b3")[.body] == "Old Latin-1 bytes: caf\u{FFFD} cr\u{FFFD}me")
        #expect(result.comments.first { $0.comment.id == "b3" }?.repair != nil)
        #expect(try result.comment("b4")[.body] == "5\" screen with a stray quote")
    }

    @Test func aMapNamingAMissingColumnOrNoBodyIsRefusedBeforeReading() throws {
        #expect(throws: InputReadError.self) { try readAll(fixture("comments.csv"), map: [.body: "TEXT"]) }
        #expect(throws: InputReadError.self) { try readAll(fixture("comments.csv")) }
    }

    @Test func aColumnNamedLikeAMappedFieldIsCarriedUnderAnotherName() throws {
        let csv = "id,body,text\n1,old body,new body\n"
        let result = try readAll(try scratchFile("rename.csv", Array(csv.utf8)), map: [.body: "text"])
        #expect(try result.comment("1")[.body] == "new body")
        #expect(try result.record("1")["csv_body"] as? String == "old body")
    }
}

@Suite struct FormatDetectionTests {
    @Test func theFormatComesFromTheNameOrTheFirstBytes() throws {
        func detect(_ path: String) throws -> InputFormat {
            try CommentReaders.detectFormat(try InputFile(InputSource(path: path)))
        }
        #expect(try detect(fixture("wordpress-export.xml")) == .wxr)
        #expect(try detect(fixture("disqus-export.xml")) == .disqus)
        #expect(try detect(fixture("disqus-export.xml.gz")) == .disqus)
        #expect(try detect(fixture("comments.csv")) == .csv)
        #expect(try detect(fixture("film-blog.jsonl")) == .jsonl)
        // Without a telling name, the content decides.
        let wxr = try Array(Data(contentsOf: fixturesDirectory.appendingPathComponent("wordpress-export.xml")))
        #expect(try detect(try scratchFile("export", wxr)) == .wxr)
        #expect(try detect(try scratchFile("export", Array("\u{FEFF}{\"body\":\"x\"}\n".utf8))) == .jsonl)
        #expect(try detect(try scratchFile("export", Array("id,body\n1,x\n".utf8))) == .csv)
        #expect(throws: InputReadError.self) { try detect(try scratchFile("export", Array("<html><body/></html>".utf8))) }
        #expect(throws: InputReadError.self) { try detect(try scratchFile("export", Array("[{\"body\": \"x\"}]".utf8))) }
    }

    @Test func peekedBytesAreReadAgainByTheReader() throws {
        let wxr = try Array(Data(contentsOf: fixturesDirectory.appendingPathComponent("wordpress-export.xml")))
        let result = try readAll(try scratchFile("export", wxr))
        #expect(result.comments.count == 6)
        #expect(result.errors.isEmpty)
    }
}

@Suite struct ProgressLineTests {
    @Test func theLineShowsCountRatePercentageAndTimeLeft() {
        #expect(ProgressLine.text(done: 1000, elapsed: 2, fraction: 0.25) == "moderate: 1000 comments, 500/s, 25%, 6s left")
        #expect(ProgressLine.text(done: 1000, elapsed: 2, fraction: nil) == "moderate: 1000 comments, 500/s")
        #expect(ProgressLine.text(done: 10, elapsed: 100, fraction: 0.01) == "moderate: 10 comments, 0/s, 1%, 2h 45m left")
        #expect(ProgressLine.duration(125) == "2m 5s")
    }
}
