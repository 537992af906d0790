import Foundation
import Testing

@Suite(.serialized) struct RunCommandTests {
    @Test func sampleExportLandsEachCommentInExactlyOneQueueWithEveryFieldKept() throws {
        let queues = try scratchDirectory().appendingPathComponent("queues")
        let result = try Moderate.run(["run", "--rules", "rules", "--queues", queues.path, "fixtures/film-blog.jsonl"])
        #expect(result.status == 0, "\(result.stderr)")

        let input = try String(contentsOf: Moderate.packageRoot.appendingPathComponent("fixtures/film-blog.jsonl"), encoding: .utf8)
            .split(separator: "\n").map { try #require(try JSONSerialization.jsonObject(with: Data($0.utf8)) as? [String: Any]) }
        var seen: [String: String] = [:]
        for queue in ["approve", "hold", "reject"] {
            for record in try records(queues, "\(queue).jsonl") {
                let id = try #require(record["id"] as? String)
                #expect(seen[id] == nil, "\(id) is in two queues")
                seen[id] = queue
                #expect((record["moderation"] as? [String: Any])?["decision"] as? String == queue)
                // Every original field comes back with its value.
                let original = try #require(input.first { $0["id"] as? String == id })
                for (key, value) in original {
                    #expect("\(record[key] ?? "missing")" == "\(value)", "\(id).\(key)")
                }
            }
        }
        #expect(Set(seen.keys) == Set(input.compactMap { $0["id"] as? String }))
        #expect(try records(queues, "errors.jsonl").isEmpty)
        // The sample has ordinary comments and spam: all three queues are used.
        #expect(Set(seen.values) == ["approve", "hold", "reject"])
        #expect(seen["c001"] == "approve")
        #expect(seen["c011"] == "reject")
        #expect(result.stderr.contains("24 comments from 1 file"))
        #expect(result.stderr.contains("comments/s"))
    }

    @Test func queueFilesAndDirectoryAreReadableByTheOwnerOnly() throws {
        let queues = try scratchDirectory().appendingPathComponent("queues")
        try Moderate.run(["run", "--queues", queues.path, "fixtures/film-blog.jsonl"])
        let directoryMode = try FileManager.default.attributesOfItem(atPath: queues.path)[.posixPermissions] as? Int
        #expect(directoryMode == 0o700)
        for name in ["approve.jsonl", "hold.jsonl", "reject.jsonl", "errors.jsonl"] {
            let mode = try FileManager.default.attributesOfItem(atPath: queues.appendingPathComponent(name).path)[.posixPermissions] as? Int
            #expect(mode == 0o600, "\(name)")
        }
    }

    @Test func aBrokenPatternStopsTheRunWithItsPlaceAndTouchesNoQueue() throws {
        let scratch = try scratchDirectory()
        let rules = scratch.appendingPathComponent("rules")
        try FileManager.default.createDirectory(at: rules, withIntermediateDirectories: true)
        try "stages: [spam]\n".write(to: rules.appendingPathComponent("pipeline.yaml"), atomically: true, encoding: .utf8)
        try "stage: spam\nrules:\n  - id: broken\n    description: d\n    pattern: 'free (money'\n    score: 3\n"
            .write(to: rules.appendingPathComponent("spam.yaml"), atomically: true, encoding: .utf8)
        let queues = scratch.appendingPathComponent("queues")
        let result = try Moderate.run(["run", "--rules", rules.path, "--queues", queues.path, "fixtures/film-blog.jsonl"])
        #expect(result.status == 2)
        #expect(result.stderr.contains("\(rules.path)/spam.yaml:5:26: error: rule 'broken': pattern: missing closing parenthesis"))
        #expect(!FileManager.default.fileExists(atPath: queues.path))

        let lint = try Moderate.run(["lint", "--rules", rules.path])
        #expect(lint.status == 2)
        #expect(lint.stdout.contains("spam.yaml:5:26: error"))
    }

    @Test func malformedLinesGoToErrorsWithTheirLineNumberAndTheBatchGoesOn() throws {
        let scratch = try scratchDirectory()
        let export = scratch.appendingPathComponent("export.jsonl")
        try writeLines([
            commentLine(id: "ok1", body: "Lovely film"),
            "{\"id\": \"broken\", \"body\": ",
            "",
            "[\"not\", \"a\", \"comment\"]",
            commentLine(id: "ok2", body: "Agreed"),
        ], to: export)
        let queues = scratch.appendingPathComponent("queues")
        let result = try Moderate.run(["run", "--queues", queues.path, export.path])
        #expect(result.status == 1)
        let errors = try records(queues, "errors.jsonl")
        #expect(errors.map { $0["line"] as? Int } == [2, 4])
        #expect(errors.first?["source"] as? String == export.path)
        #expect(errors.first?["raw"] as? String == "{\"id\": \"broken\", \"body\": ")
        #expect(try records(queues, "approve.jsonl").map { $0["id"] as? String } == ["ok1", "ok2"])
        #expect(result.stderr.contains("2 approve, 0 hold, 0 reject, 2 errors"))
    }

    @Test func pathologicalPatternHoldsTheCommentWithTheReasonInsteadOfHanging() throws {
        let scratch = try scratchDirectory()
        let rules = scratch.appendingPathComponent("rules")
        try FileManager.default.createDirectory(at: rules, withIntermediateDirectories: true)
        try "stages: [spam]\nlimits: {match_limit: 100000}\n".write(to: rules.appendingPathComponent("pipeline.yaml"), atomically: true, encoding: .utf8)
        try "stage: spam\nrules:\n  - id: evil\n    description: Catastrophic backtracking.\n    pattern: '(a+)+$'\n    score: 1\n"
            .write(to: rules.appendingPathComponent("spam.yaml"), atomically: true, encoding: .utf8)
        let export = scratch.appendingPathComponent("export.jsonl")
        try writeLines([
            commentLine(id: "evil", body: String(repeating: "a", count: 50_000) + "b"),
            commentLine(id: "fine", body: "hello"),
        ], to: export)
        let queues = scratch.appendingPathComponent("queues")
        let result = try Moderate.run(["run", "--rules", rules.path, "--queues", queues.path, export.path])
        #expect(result.status == 0, "\(result.stderr)")
        let held = try #require(try records(queues, "hold.jsonl").first)
        #expect(held["id"] as? String == "evil")
        let moderation = try #require(held["moderation"] as? [String: Any])
        #expect((moderation["reason"] as? String)?.contains("match limit exceeded") == true)
        let problems = try #require(moderation["problems"] as? [[String: Any]])
        #expect(problems.first?["rule"] as? String == "evil")
        #expect(try records(queues, "approve.jsonl").map { $0["id"] as? String } == ["fine"])
    }

    @Test func invalidUTF8AndAOneMegabyteBodyAreModerated() throws {
        let scratch = try scratchDirectory()
        let export = scratch.appendingPathComponent("export.jsonl")
        var bytes = Array(#"{"id":"latin1","body":"caf"#.utf8) + [0xE9] + Array(#" viagra"}"#.utf8) + [0x0A]
        let huge = String(repeating: "a lovely film ", count: 75_000)  // about 1 MB
        bytes += Array(commentLine(id: "huge", body: huge + " buy viagra").utf8) + [0x0A]
        try Data(bytes).write(to: export)
        let queues = scratch.appendingPathComponent("queues")
        let result = try Moderate.run(["run", "--queues", queues.path, export.path])
        #expect(result.status == 0, "\(result.stderr)")
        let held = try records(queues, "hold.jsonl")
        #expect(held.map { $0["id"] as? String } == ["latin1", "huge"])
        #expect((held.first?["moderation"] as? [String: Any])?["input_repaired"] != nil)
        #expect((held.last?["body"] as? String)?.utf8.count == huge.utf8.count + 11)
    }

    @Test func standardInputIsReadWithADash() throws {
        let queues = try scratchDirectory().appendingPathComponent("queues")
        let input = Data((commentLine(id: "s1", body: "sub4sub anyone? check out my channel") + "\n").utf8)
        let result = try Moderate.run(["run", "--queues", queues.path, "-"], stdin: input)
        #expect(result.status == 0, "\(result.stderr)")
        #expect(try records(queues, "reject.jsonl").map { $0["id"] as? String } == ["s1"])
    }

    @Test func aMissingInputFileIsReportedBeforeAnyQueueIsTouched() throws {
        let queues = try scratchDirectory().appendingPathComponent("queues")
        let result = try Moderate.run(["run", "--queues", queues.path, "no-such-export.jsonl"])
        #expect(result.status == 66)
        #expect(result.stderr.contains("no-such-export.jsonl"))
        #expect(!FileManager.default.fileExists(atPath: queues.path))
    }

    @Test func aLargeGeneratedBatchCompletesAndReportsItsRate() throws {
        let scratch = try scratchDirectory()
        let export = scratch.appendingPathComponent("export.jsonl")
        let bodies = ["A lovely film, thank you", "check out my channel please", "buy cheap viagra online",
                      "see https://example.org/review", "sub4sub! free gift cards http://bit.ly/x1"]
        let count = 20_000
        try writeLines((0..<count).map { commentLine(id: "g\($0)", body: bodies[$0 % bodies.count]) }, to: export)
        let queues = scratch.appendingPathComponent("queues")
        let result = try Moderate.run(["run", "--queues", queues.path, export.path])
        #expect(result.status == 0, "\(result.stderr)")
        let total = try ["approve", "hold", "reject"].map { try records(queues, "\($0).jsonl").count }.reduce(0, +)
        #expect(total == count)
        #expect(result.stderr.contains("\(count) comments from 1 file"))
        #expect(result.stderr.range(of: #"\d+ comments/s"#, options: .regularExpression) != nil)
    }

    /// README, "A growing export": the torn last line of a JSON lines file still being written
    /// is left for the next run (exit 0, said in the summary), and moderated once when whole.
    @Test func aTornLastLineIsLeftForTheNextRunAndModeratedOnceWhenWhole() throws {
        let scratch = try scratchDirectory()
        let queues = scratch.appendingPathComponent("queues"), export = scratch.appendingPathComponent("growing.jsonl")
        let third = commentLine(id: "third", body: "written in two goes")
        let cut = third.utf8.count / 2
        let torn = String(third.utf8.prefix(cut))!
        try (commentLine(id: "first", body: "one") + "\n" + commentLine(id: "second", body: "two") + "\n" + torn)
            .write(to: export, atomically: true, encoding: .utf8)
        let summaryFile = scratch.appendingPathComponent("summary.json")
        let first = try Moderate.run(["run", "--rules", "rules", "--queues", queues.path, "--summary-json", summaryFile.path, export.path])
        #expect(first.status == 0, "\(first.stderr)")
        #expect(first.stderr.contains("2 comments from 1 file"), "\(first.stderr)")
        #expect(first.stderr.contains("left \(cut) bytes of an unterminated last line for the next run"), "\(first.stderr)")
        #expect(try records(queues, "errors.jsonl").isEmpty)
        let summary = try #require(try JSONSerialization.jsonObject(with: Data(contentsOf: summaryFile)) as? [String: Any])
        #expect(summary["status"] as? String == "ok")
        #expect(summary["unterminated_bytes_left"] as? Int == cut)

        // The writer finishes the line: the rerun moderates it, and only it.
        let handle = try FileHandle(forWritingTo: export)
        try handle.seekToEnd()
        try handle.write(contentsOf: Data((String(third.utf8.dropFirst(cut))! + "\n").utf8))
        try handle.close()
        let second = try Moderate.run(["run", "--rules", "rules", "--queues", queues.path, "--summary-json", summaryFile.path, export.path])
        #expect(second.status == 0, "\(second.stderr)")
        #expect(second.stderr.contains("1 comments from 1 file"), "\(second.stderr)")
        #expect(second.stderr.contains("2 already queued"), "\(second.stderr)")
        #expect(!second.stderr.contains("unterminated"), "\(second.stderr)")
        let again = try JSONSerialization.jsonObject(with: Data(contentsOf: summaryFile)) as? [String: Any]
        #expect(again?["unterminated_bytes_left"] as? Int == 0)
        let ids = try ["approve.jsonl", "hold.jsonl", "reject.jsonl"].flatMap { try records(queues, $0) }.compactMap { $0["id"] as? String }
        #expect(ids.sorted() == ["first", "second", "third"])
        #expect(try records(queues, "errors.jsonl").isEmpty)
    }
}
