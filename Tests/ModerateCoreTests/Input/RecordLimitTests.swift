import Foundation
import Testing
@testable import ModerateCore
import PCRE2

/// README "Security": the record limit (`--max-record-bytes`) in every line-based reader.
struct RecordLimitTests {
    func file(_ bytes: [UInt8]) throws -> String {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("moderate-bounds-\(UUID().uuidString)").path
        try Data(bytes).write(to: URL(fileURLWithPath: path))
        return path
    }

    @Test(arguments: [4, 7, 100, 5000])
    func aLineOverTheLimitIsCutAndReadingGoesOnAtTheNextLine(limit: Int) throws {
        let long = [UInt8](repeating: UInt8(ascii: "x"), count: 3 * limit + 1_500_000)
        let path = try file(Array("ok\r\n".utf8) + long + [0x0D, 0x0A] + Array("next\n".utf8) + long)
        let reader = LineReader(try InputFile(InputSource(path: path)), maxLineBytes: limit, keptBytes: 10)
        #expect(try reader.nextLine() == Array("ok".utf8))
        let line = try reader.nextLine()
        #expect(line?.count == min(10, limit))
        #expect(reader.oversizedLineBytes != nil)
        #expect(reader.lineNumber == 2)
        #expect(try reader.nextLine() == Array("next".utf8))
        #expect(reader.oversizedLineBytes == nil)
        #expect(reader.lineNumber == 3)
        // The last line, over the limit and without a line break, is cut too.
        #expect(try reader.nextLine()?.count == min(10, limit))
        #expect(reader.oversizedLineBytes == long.count)
        #expect(try reader.nextLine() == nil)
    }

    @Test func aLineAtTheLimitIsReadWhole() throws {
        let path = try file(Array("12345\n123456\n".utf8))
        let reader = LineReader(try InputFile(InputSource(path: path)), maxLineBytes: 5)
        #expect(try reader.nextLine() == Array("12345".utf8))
        #expect(reader.oversizedLineBytes == nil)
        _ = try reader.nextLine()
        #expect(reader.oversizedLineBytes == 6)
    }

    @Test func aJSONLineOverTheLimitBecomesAnErrorWithItsLine() throws {
        let long = #"{"id":"long","body":""# + String(repeating: "y", count: 300) + #""}"#
        let path = try file(Array((#"{"id":"a","body":"x"}"# + "\n" + long + "\n" + #"{"id":"b","body":"z"}"# + "\n").utf8))
        let reader = try CommentReaders.open(InputSource(path: path), format: .jsonl,
                                             options: ReadOptions(maxRecordBytes: 100))
        var items: [String] = []
        while let item = try reader.next() {
            switch item {
            case .comment(let input): items.append(input.comment.id)
            case .error(let error):
                items.append("error@\(error.line)")
                #expect(error.reason.contains("line of 323 bytes is longer than the record limit of 100 bytes"))
                #expect(error.raw.count == 100)
            }
        }
        #expect(items == ["a", "error@2", "b"])
    }

    @Test func aCSVRowOverTheLimitAcrossLinesBecomesAnError() throws {
        let text = "id,body\na,first\nb,\"open quote\n" + String(repeating: "zz\n", count: 100) + "c,third\n"
        let reader = try CommentReaders.open(InputSource(path: try file(Array(text.utf8))), format: .csv,
                                             options: ReadOptions(maxRecordBytes: 64))
        var ids: [String] = []
        var errors: [InputError] = []
        while let item = try reader.next() {
            switch item {
            case .comment(let input): ids.append(input.comment.id)
            case .error(let error): errors.append(error)
            }
        }
        // The row is cut at the limit; the lines after the cut are read as rows of their own.
        #expect(ids == ["a", "c"])
        #expect(errors.first?.line == 3)
        #expect(errors.first?.reason.contains("record limit of 64 bytes") == true)
    }

    /// The engine knows no flags: a reason over the record limit names the setting that raises
    /// it only when the caller gave one (the CLI gives `--max-record-bytes`), in every format.
    @Test(arguments: [InputFormat.jsonl, .csv, .json, .wxr, .disqus])
    func aReasonOverTheLimitNamesTheSettingItWasGiven(format: InputFormat) throws {
        let long = String(repeating: "y", count: 3000)
        let text: String
        switch format {
        case .jsonl: text = #"{"id":"a","body":"\#(long)"}"# + "\n"
        case .csv: text = "id,body\na,\"\(long)\"\n"
        case .json: text = #"[{"id":"a","body":"\#(long)"}]"#
        case .wxr:
            text = """
                <rss xmlns:wp="http://wordpress.org/export/1.2/"><channel><item><title>T</title>
                <wp:comment><wp:comment_id>1</wp:comment_id><wp:comment_content>\(long)</wp:comment_content></wp:comment>
                </item></channel></rss>
                """
        case .disqus:
            text = """
                <disqus><post dsq:id="1"><message>\(long)</message></post></disqus>
                """
        }
        let path = try file(Array(text.utf8))
        for setting in [nil, "--the-limit"] {
            let reader = try CommentReaders.open(InputSource(path: path), format: format,
                                                 options: ReadOptions(maxRecordBytes: 1000, recordLimitSetting: setting))
            var reasons: [String] = []
            while let item = try reader.next() { if case .error(let error) = item { reasons.append(error.reason) } }
            let reason = try #require(reasons.first, "\(format): no error for a record over the limit")
            #expect(reason.contains("the record limit of 1000 bytes"), "\(format): \(reason)")
            if let setting {
                #expect(reason.contains("(\(setting))"), "\(format): \(reason)")
            } else {
                #expect(!reason.contains("--"), "\(format): \(reason)")
            }
        }
    }
}
