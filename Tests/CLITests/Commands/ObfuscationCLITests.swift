import Foundation
import Testing

@Suite(.serialized) struct ObfuscationCLITests {
    func decisions(_ queues: URL) throws -> [String: (queue: String, moderation: [String: Any])] {
        var result: [String: (queue: String, moderation: [String: Any])] = [:]
        for queue in ["approve", "hold", "reject"] {
            for record in try records(queues, "\(queue).jsonl") {
                result[record["id"] as! String] = (queue, record["moderation"] as! [String: Any])
            }
        }
        return result
    }

    func firedRules(_ moderation: [String: Any]) -> [String] {
        (moderation["fired"] as? [[String: Any]] ?? []).compactMap { $0["rule"] as? String }
    }

    @Test func disguisedSpamIsCaughtAndTheRecordShowsTheOriginalText() throws {
        let queues = try scratchDirectory().appendingPathComponent("queues")
        let result = try Moderate.run(["run", "--queues", queues.path, "fixtures/obfuscated-spam.jsonl"])
        #expect(result.status == 0, "\(result.stderr)")
        let decided = try decisions(queues)
        // Fullwidth + leetspeak, zero-width spaces, Cyrillic lookalikes, HTML entities: none approved.
        for id in ["o01", "o02", "o03", "o04"] { #expect(decided[id]?.queue != "approve", "\(id)") }
        #expect(decided["o04"]?.queue == "reject")
        // An honest comment with HTML and an allowed link stays approved.
        #expect(decided["o05"]?.queue == "approve")
        #expect(firedRules(decided["o05"]!.moderation).isEmpty)

        // In the run it is rejected before the keyword stage (styled letters, a keyword author, a
        // link); explain decides the body alone, as far as the pharmacy list, whose hit on the
        // normalised view reads "viagra" and points at the original bytes.
        #expect(decided["o01"]?.queue == "reject")
        let body = "Buy ｃｈｅａｐ ｖ1agra at http://pills.example/now"
        let explained = try Moderate.run(["explain", "--rules", "rules", "--text", body])
        let hitLine = try #require(explained.stdout.split(separator: "\n").first { $0.contains("[ｖ1agra]") },
                                   "\(explained.stdout)")
        #expect(hitLine.contains("body.normalized") && hitLine.contains("(read as \"viagra\")"))
        let range = try #require(hitLine.firstMatch(of: /(\d+)\.\.<(\d+):/))
        let start = try #require(Int(range.1)), end = try #require(Int(range.2))
        #expect(String(decoding: Array(body.utf8)[start..<end], as: UTF8.self) == "ｖ1agra")
        #expect(explained.stdout.contains("keywords.pharmacy"))
    }

    /// A file's copies are counted before deciding, so all three copies are held; on
    /// standard input they are counted as they come, and only the third is.
    @Test(arguments: [false, true])
    func copiesOfATextAndTheFifthCommentOfABurstAreHeld(fromStandardInput: Bool) throws {
        let queues = try scratchDirectory().appendingPathComponent("queues")
        let fixture = "fixtures/obfuscated-spam.jsonl"
        let stdin = fromStandardInput ? try Data(contentsOf: Moderate.packageRoot.appendingPathComponent(fixture)) : nil
        try Moderate.run(["run", "--queues", queues.path, fromStandardInput ? "-" : fixture], stdin: stdin)
        let decided = try decisions(queues)
        #expect(decided["o06"]?.queue == (fromStandardInput ? "approve" : "hold"))
        #expect(decided["o07"]?.queue == (fromStandardInput ? "approve" : "hold"))
        #expect(decided["o08"]?.queue == "hold")
        #expect(firedRules(decided["o08"]!.moderation) == ["spam.copies"])
        #expect(["o09", "o10", "o11", "o12"].allSatisfy { decided[$0]?.queue == "approve" })
        #expect(decided["o13"]?.queue == "hold")
        #expect(firedRules(decided["o13"]!.moderation) == ["spam.author-burst"])
    }

    @Test func anAuthorApprovedInAnEarlierRunSkipsRulesThatAllowIt() throws {
        let scratch = try scratchDirectory()
        let queues = scratch.appendingPathComponent("queues")
        let first = scratch.appendingPathComponent("first.jsonl")
        try writeLines([#"{"id":"k1","author":"Ann","author_email":"ann@example.net","body":"Lovely film"}"#], to: first)
        try Moderate.run(["run", "--queues", queues.path, first.path])
        let second = scratch.appendingPathComponent("second.jsonl")
        try writeLines([
            #"{"id":"k2","author":"Ann","author_email":"ANN@example.net","body":"More at https://films.example/review"}"#,
            #"{"id":"k3","author":"Bob","author_email":"bob@example.net","body":"More at https://films.example/review"}"#,
            #"{"id":"k4","author":"Ann","author_email":"ann@example.net","body":"cheap viagra at https://films.example/"}"#,
        ], to: second)
        try Moderate.run(["run", "--queues", queues.path, second.path])
        let decided = try decisions(queues)
        #expect(firedRules(decided["k2"]!.moderation) == [])
        #expect(firedRules(decided["k3"]!.moderation) == ["links.any-link"])
        // Trust never lifts a rule that is not meant to be skipped.
        #expect(firedRules(decided["k4"]!.moderation) == ["keywords.pharmacy"])
    }
}
