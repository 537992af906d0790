import Foundation
@testable import ModerateCore
import Testing

@Suite struct WXRReaderTests {
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
        #expect(result.errors.first?.reason.contains("is longer than the record limit of 65536 bytes") == true)
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

    /// A comment whose content nests 50,000 elements crashed every run (SIGSEGV releasing the
    /// parsed tree). It is now an error with its line, and the comments around it are read.
    @Test func aCommentNestedFiftyThousandDeepIsAnErrorAndTheOthersAreRead() throws {
        let deep = String(repeating: "<b>", count: 50_000) + "x" + String(repeating: "</b>", count: 50_000)
        let export = """
            <rss xmlns:wp="http://wordpress.org/export/1.2/"><channel><item><wp:post_id>1</wp:post_id>
            <wp:comment><wp:comment_id>1</wp:comment_id><wp:comment_content>before</wp:comment_content></wp:comment>
            <wp:comment><wp:comment_id>2</wp:comment_id><wp:comment_content>\(deep)</wp:comment_content></wp:comment>
            <wp:comment><wp:comment_id>3</wp:comment_id><wp:comment_content>after &eacute;</wp:comment_content></wp:comment>
            </item></channel></rss>
            """
        let result = try readAll(try scratchFile("deep.xml", Array(export.utf8)))
        #expect(result.ids == ["1", "3"])
        #expect(result.errors.map(\.line) == [3])
        #expect(result.errors.first?.reason.contains("nested deeper than 256 levels") == true)
        #expect(result.errors.first?.raw == Array(export.utf8.split(separator: 0x0A)[2]))
        // The entity retry still works for the records after it.
        #expect(try result.comment("3")[.body] == "after &eacute;")
    }

    /// The limit is exactly `maxDepth` levels from the record element: `wp:comment` is 1,
    /// `wp:comment_content` 2, so 254 levels of HTML inside it are read and 255 are not.
    @Test func theDepthLimitIsExact() throws {
        func export(html levels: Int) -> String {
            let html = String(repeating: "<i>", count: levels) + "x" + String(repeating: "</i>", count: levels)
            return """
                <rss xmlns:wp="http://wordpress.org/export/1.2/"><channel><item>
                <wp:comment><wp:comment_id>1</wp:comment_id><wp:comment_content>\(html)</wp:comment_content></wp:comment>
                </item></channel></rss>
                """
        }
        let fits = try readAll(try scratchFile("fits.xml", Array(export(html: ParsedElement.maxDepth - 2).utf8)))
        #expect(fits.ids == ["1"] && fits.errors.isEmpty, "\(fits.errors)")
        let over = try readAll(try scratchFile("over.xml", Array(export(html: ParsedElement.maxDepth - 1).utf8)))
        #expect(over.ids.isEmpty)
        #expect(over.errors.map(\.line) == [2])
    }

    /// Whatever its depth, a tree is released without recursion (deinit drains it).
    @Test func aMillionLevelTreeIsReleasedWithoutOverflowingTheStack() {
        var root: ParsedElement? = ParsedElement(name: "root", attributes: [:])
        var last = root!
        for _ in 0..<1_000_000 {
            let child = ParsedElement(name: "b", attributes: [:])
            last.append(child: child)
            last = child
        }
        // A subtree still held elsewhere survives the release of its ancestors.
        let kept = root!.children[0].children[0]
        last = kept
        root = nil
        #expect(kept.children.count == 1)
        #expect(kept.children[0].name == "b")
    }
}
