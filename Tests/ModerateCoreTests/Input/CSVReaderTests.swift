import Foundation
@testable import ModerateCore
import Testing

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
        let missing = #expect(throws: InputReadError.self) { try readAll(fixture("comments.csv"), map: [.body: "TEXT"]) }
        guard case .missingColumn(.body, "TEXT", let columns)? = missing?.reason else {
            Issue.record("not a missing column: \(String(describing: missing))"); return
        }
        #expect(columns.contains("CONTENT"))
        let noBody = #expect(throws: InputReadError.self) { try readAll(fixture("comments.csv")) }
        guard case .noBodyColumn? = noBody?.reason else {
            Issue.record("not a missing body: \(String(describing: noBody))"); return
        }
        // The engine names no command-line flag; the CLI adds `--map` (ExportCommandTests).
        let engineWords = missing.map { "\($0)" } ?? ""
        #expect(engineWords.contains("no such column") && !engineWords.contains("--map"), "\(engineWords)")
    }

    @Test func everyRecordKeyIsWrittenOnceWhateverTheHeaderRepeats() throws {
        let csv = "id,body,moderation,notes,notes,csv_moderation\n1,hello,approve,first,second,mine\n"
        let result = try readAll(try scratchFile("repeats.csv", Array(csv.utf8)))
        let json = String(decoding: try #require(result.comments.first).originalJSON, as: UTF8.self)
        #expect(DuplicateKeys.topLevel(in: Array(json.utf8)).isEmpty, "\(json)")
        let record = try result.record("1")
        #expect(record["moderation"] == nil)
        #expect(record["csv_moderation"] as? String == "approve")
        #expect(record["csv_moderation_2"] as? String == "mine")
        #expect(record["notes"] as? String == "first")
        #expect(record["notes_2"] as? String == "second")
    }

    @Test func aColumnNamedLikeAMappedFieldIsCarriedUnderAnotherName() throws {
        let csv = "id,body,text\n1,old body,new body\n"
        let result = try readAll(try scratchFile("rename.csv", Array(csv.utf8)), map: [.body: "text"])
        #expect(try result.comment("1")[.body] == "new body")
        #expect(try result.record("1")["csv_body"] as? String == "old body")
    }
}
