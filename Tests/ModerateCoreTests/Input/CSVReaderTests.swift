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

    func openCSV(_ text: String, limit: Int) throws -> CommentReader {
        try CommentReaders.open(InputSource(path: try scratchFile("export.csv", Array(text.utf8))),
                                options: ReadOptions(maxRecordBytes: limit))
    }

    /// A header over the record limit was skipped without a word: alone, the file read as
    /// empty (exit 0); with rows, the first row became the header. Without its header no row
    /// can be read, so the file is refused, with its line.
    @Test func aHeaderOverTheRecordLimitIsAnErrorNotSkipped() throws {
        let header = "id,body," + String(repeating: "x", count: 5000)
        for text in [header + "\n", header + "\n1,hello,a\n2,world,b\n", "\n" + header + "\n1,hello,a\n"] {
            #expect {
                _ = try openCSV(text, limit: 4096)
            } throws: { error in
                guard case .unreadableHeader(let line, let why) = (error as? InputReadError)?.reason else { return false }
                return line == (text.hasPrefix("\n") ? 2 : 1) && why.contains("record limit of 4096 bytes")
            }
        }
        // A header whose quote never closes swallows the file: refused too.
        #expect(throws: InputReadError.self) { _ = try openCSV("id,\"body\n" + String(repeating: "1,x\n", count: 2000), limit: 4096) }
    }

    /// The columns of a header that gives no body are listed in the error, but bounded: a
    /// 100 KB "header" of NUL bytes printed 100 KB to the terminal.
    @Test func theColumnsListedInAHeaderErrorAreBounded() throws {
        let text = String(repeating: "\u{0}", count: 100_000) + "," + (1...500).map { "c\($0)" }.joined(separator: ",") + "\n"
        #expect {
            _ = try openCSV(text, limit: 1 << 20)
        } throws: { error in
            let message = String(describing: error)
            return message.utf8.count < 2048 && !message.contains("\u{0}") && message.contains("more")
        }
    }
}
