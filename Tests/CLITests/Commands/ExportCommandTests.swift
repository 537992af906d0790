import Foundation
import Testing

/// Each export format through the built binary: detection, exit codes, errors.jsonl.
@Suite(.serialized) struct ExportCommandTests {
    func run(_ arguments: [String], stdin: Data? = nil) throws -> (Moderate.Result, URL) {
        let queues = try scratchDirectory().appendingPathComponent("queues")
        let result = try Moderate.run(["run", "--rules", "rules", "--queues", queues.path] + arguments, stdin: stdin)
        return (result, queues)
    }

    func allRecords(_ queues: URL) throws -> [[String: Any]] {
        try ["approve.jsonl", "hold.jsonl", "reject.jsonl"].flatMap { try records(queues, $0) }
    }

    @Test func eachFormatIsDetectedAndEveryCommentLandsInAQueue() throws {
        let cases: [(arguments: [String], comments: Int)] = [
            (["fixtures/wordpress-export.xml"], 6),
            (["fixtures/disqus-export.xml"], 7),
            (["fixtures/disqus-export.xml.gz"], 7),
            (["--map", "body=CONTENT,author=AUTHOR,id=COMMENT_ID,date=DATE", "fixtures/comments.csv"], 4),
        ]
        for (arguments, comments) in cases {
            let (result, queues) = try run(arguments)
            #expect(result.status == 0, "\(arguments): \(result.stderr)")
            #expect(try allRecords(queues).count == comments, "\(arguments)")
            #expect(result.stderr.contains("\(comments) comments from 1 file"), "\(result.stderr)")
            #expect(try records(queues, "errors.jsonl").isEmpty)
        }
    }

    @Test func anInputThatCannotBeReadIsNamedWithTheFlagThatFixesIt() throws {
        let (missing, queues) = try run(["--map", "body=TEXT", "fixtures/comments.csv"])
        #expect(missing.status == 66)
        #expect(missing.stderr.contains("fixtures/comments.csv: --map body=TEXT: no column 'TEXT'; the columns are "), "\(missing.stderr)")
        #expect(!FileManager.default.fileExists(atPath: queues.appendingPathComponent("approve.jsonl").path))
        let (noBody, _) = try run(["fixtures/comments.csv"])
        #expect(noBody.status == 66)
        #expect(noBody.stderr.contains("name one with --map body=COLUMN"), "\(noBody.stderr)")
        let (unknownXML, _) = try run(["-"], stdin: Data("<html><body/></html>\n".utf8))
        #expect(unknownXML.status == 66)
        #expect(unknownXML.stderr.contains("<stdin>: XML that is neither a WordPress (WXR) nor a Disqus export; name the format with --format"), "\(unknownXML.stderr)")
    }

    @Test func inputsOfDifferentFormatsGoInOneRun() throws {
        let (result, queues) = try run(["--map", "body=CONTENT,id=COMMENT_ID", "fixtures/comments.csv",
                                        "fixtures/wordpress-export.xml", "fixtures/film-blog.jsonl"])
        #expect(result.status == 0, "\(result.stderr)")
        #expect(result.stderr.contains("34 comments from 3 files"), "\(result.stderr)")
        #expect(try allRecords(queues).count == 34)
    }

    @Test func thePlatformsOwnVerdictIsKeptNextToModerates() throws {
        let (result, queues) = try run(["fixtures/wordpress-export.xml"])
        #expect(result.status == 0, "\(result.stderr)")
        let spam = try #require(try records(queues, "reject.jsonl").first { $0["id"] as? String == "504" })
        #expect(spam["wp_approved"] as? String == "spam")
        #expect((spam["moderation"] as? [String: Any])?["decision"] as? String == "reject")
    }

    @Test func badInputInAnyFormatGoesToErrorsAndExitsWithOne() throws {
        for (path, comments, errors) in [("fixtures/wordpress-broken.xml", 4, 2), ("fixtures/wordpress-truncated.xml", 4, 1),
                                         ("fixtures/comments-awkward.csv", 3, 2)] {
            let (result, queues) = try run([path])
            #expect(result.status == 1, "\(path): \(result.stderr)")
            #expect(try allRecords(queues).count == comments, "\(path)")
            let errorLines = try records(queues, "errors.jsonl")
            #expect(errorLines.count == errors, "\(path)")
            #expect(errorLines.allSatisfy { $0["source"] as? String == path && $0["line"] is Int && $0["reason"] is String })
        }
    }

    @Test func standardInputIsDetectedFromItsFirstBytes() throws {
        let export = try Data(contentsOf: Moderate.packageRoot.appendingPathComponent("fixtures/disqus-export.xml"))
        let (result, queues) = try run(["-"], stdin: export)
        #expect(result.status == 0, "\(result.stderr)")
        #expect(try allRecords(queues).count == 7)

        let compressed = try Data(contentsOf: Moderate.packageRoot.appendingPathComponent("fixtures/disqus-export.xml.gz"))
        let (fromGzip, gzipQueues) = try run(["-"], stdin: compressed)
        #expect(fromGzip.status == 0, "\(fromGzip.stderr)")
        #expect(try allRecords(gzipQueues).count == 7)
        #expect(try records(gzipQueues, "errors.jsonl").isEmpty)
    }

    @Test func formatOverridesDetection() throws {
        let directory = try scratchDirectory()
        let file = directory.appendingPathComponent("export.txt")
        try "{\"body\": \"not csv\"}\n".write(to: file, atomically: true, encoding: .utf8)
        // Read as CSV, the header is `{"body": "not csv"}`: no column gives a body.
        let (asCSV, _) = try run(["--format", "csv", file.path])
        #expect(asCSV.status == 66)
        #expect(asCSV.stderr.contains("no column gives the comment's body"))
        let (detected, _) = try run([file.path])
        #expect(detected.status == 0, "\(detected.stderr)")
    }

    @Test func aMalformedMapIsAUsageError() throws {
        let (result, queues) = try run(["--map", "bodyCONTENT", "fixtures/comments.csv"])
        #expect(result.status == 64)
        #expect(!FileManager.default.fileExists(atPath: queues.path))
        let (unknown, _) = try run(["--map", "colour=CONTENT", "fixtures/comments.csv"])
        #expect(unknown.status == 64)
        #expect(unknown.stderr.contains("unknown field 'colour'"))
    }

    @Test func noProgressLineWhenStderrIsNotATerminal() throws {
        let (result, _) = try run(["fixtures/wordpress-export.xml"])
        #expect(!result.stderr.contains("\r"))
        #expect(result.stderr.split(separator: "\n").count == 1)
    }
}
