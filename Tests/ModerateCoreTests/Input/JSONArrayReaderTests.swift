import Foundation
@testable import ModerateCore
import Testing

@Suite struct JSONArrayReaderTests {
    /// What `wp comment list --status=spam --format=json` prints (written for this test).
    private let wpCLI = """
        [{"comment_ID":"41","comment_post_ID":"7","comment_author":"Lucky Spins","comment_author_email":"win@spins.example",\
        "comment_author_url":"https://spins.example/","comment_author_IP":"198.51.100.9","comment_date":"2026-11-02 09:15:00",\
        "comment_date_gmt":"2026-11-02 08:15:00","comment_content":"Free spins every day!","comment_approved":"spam",\
        "comment_parent":"0","comment_type":"comment","user_id":"0"},
        {"comment_ID":42,"comment_post_ID":"7","comment_author":"Ana","comment_content":"Thanks for the \\"review\\", [really] {nice}.",\
        "comment_approved":"1","comment_parent":"41"}]
        """

    @Test func wpCLIFieldsMapToTheRecordsFields() throws {
        let result = try readAll(try scratchFile("spam.json", Array(wpCLI.utf8)))
        #expect(result.errors.isEmpty, "\(result.errors)")
        #expect(result.ids == ["41", "42"])
        let spam = try result.comment("41")
        #expect(spam[.body] == "Free spins every day!")
        #expect(spam[.author] == "Lucky Spins")
        #expect(spam[.authorEmail] == "win@spins.example")
        #expect(spam[.authorURL] == "https://spins.example/")
        #expect(spam[.ip] == "198.51.100.9")
        #expect(spam[.date] == "2026-11-02 08:15:00")
        #expect(spam[.post] == "7")
        #expect(spam[.parent] == nil)
        let record = try result.record("41")
        #expect(record["wp_approved"] as? String == "spam")
        #expect(record["wp_date_local"] as? String == "2026-11-02 09:15:00")
        let ham = try result.comment("42")
        #expect(ham[.parent] == "41")
        #expect(ham[.body] == "Thanks for the \"review\", [really] {nice}.")
        #expect(LabelSpec(argument: "wp_approved")!.isSpam(result.comments[0]) == true)
        #expect(LabelSpec(argument: "wp_approved")!.isSpam(result.comments[1]) == false)
    }

    @Test func anArrayIsDetectedByItsFirstByte() throws {
        let path = try scratchFile("export", Array(("  \n" + wpCLI).utf8))
        #expect(try CommentReaders.detectFormat(InputFile(InputSource(path: path))) == .json)
    }

    @Test func aBadElementCostsOnlyItself() throws {
        var bytes = Array(#"[{"comment_ID":"1","comment_content":"caf"#.utf8) + [0xC3] + Array(#""}, 5, {"no":"body"}, {"id":"m1","body":"own schema"}]"#.utf8)
        let result = try readAll(try scratchFile("mixed.json", bytes))
        #expect(result.ids == ["1", "m1"])
        #expect(result.comments[0].repair != nil)
        #expect(result.errors.count == 2)
        bytes = Array(#"[{"comment_ID":"1","comment_content":"cut off"#.utf8)
        let truncated = try readAll(try scratchFile("cut.json", bytes))
        #expect(truncated.comments.isEmpty)
        #expect(truncated.errors.first?.reason.contains("truncated") == true)
    }
}
