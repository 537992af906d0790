import Foundation
import Testing

@Suite(.serialized) struct DecideCommandTests {
    @Test func approvesAndRejectsByIdAndAgainChangesNothing() throws {
        let (queues, held) = try filmBlogQueues()
        let arguments = ["decide", "--queues", queues.path, "--reviewer", "ana", "--approve", held[0], "--reject", held[1]]
        let first = try Moderate.run(arguments)
        #expect(first.status == 0, "\(first.stderr)")
        #expect(first.stderr.contains("2 recorded"))
        let decisions = try records(queues, "decisions.jsonl")
        #expect(decisions.map { $0["id"] as? String } == [held[0], held[1]])
        #expect(decisions.map { $0["to"] as? String } == ["approve", "reject"])
        #expect(decisions.allSatisfy { $0["who"] as? String == "ana" })
        #expect(try records(queues, "approve.jsonl").filter { $0["id"] as? String == held[0] }.count == 1)
        let again = try Moderate.run(arguments)
        #expect(again.status == 0)
        #expect(again.stderr.contains("0 recorded, 2 already so"))
        #expect(try records(queues, "decisions.jsonl").count == 2)
    }

    @Test func aCommentDecidedOtherwiseOrNotHeldIsRefusedAndTheRestGoOn() throws {
        let (queues, held) = try filmBlogQueues()
        try Moderate.run(["decide", "--queues", queues.path, "--reviewer", "ana", "--approve", held[0]])
        let approvedByRules = try #require(records(queues, "approve.jsonl").first?["id"] as? String)
        let result = try Moderate.run(["decide", "--queues", queues.path, "--reviewer", "bob",
                                       "--reject", held[0], approvedByRules, "no-such-id", held[1]])
        #expect(result.status == 1)
        #expect(result.stderr.contains("was already approved by ana"))
        #expect(result.stderr.contains("no-such-id is not in hold.jsonl"))
        #expect(result.stderr.contains("1 recorded, 0 already so, 3 refused"))
        #expect(try records(queues, "decisions.jsonl").map { $0["id"] as? String } == [held[0], held[1]])
    }

    @Test func aFileWithABadLineDecidesNothing() throws {
        let (queues, held) = try filmBlogQueues()
        let file = queues.deletingLastPathComponent().appendingPathComponent("decisions.txt")
        try "# today's\n\(held[0]) approve\n\(held[1]) maybe\n".write(to: file, atomically: true, encoding: .utf8)
        let bad = try Moderate.run(["decide", "--queues", queues.path, "--from", file.path])
        #expect(bad.status == 64)
        #expect(bad.stderr.contains("decisions.txt:3: expected `ID approve` or `ID reject`"))
        #expect(!FileManager.default.fileExists(atPath: queues.appendingPathComponent("decisions.jsonl").path))
        // CSV, with its header.
        try "id,decision\n\(held[0]),approve\n\(held[1]),reject\n".write(to: file, atomically: true, encoding: .utf8)
        let good = try Moderate.run(["decide", "--queues", queues.path, "--reviewer", "ana", "--from", file.path])
        #expect(good.status == 0, "\(good.stderr)")
        #expect(try records(queues, "decisions.jsonl").map { $0["to"] as? String } == ["approve", "reject"])
    }

    @Test func theReviewerIsTheAccountsNameByDefault() throws {
        let (queues, held) = try filmBlogQueues()
        try Moderate.run(["decide", "--queues", queues.path, "--approve", held[0]])
        let who = try #require(records(queues, "decisions.jsonl").first?["who"] as? String)
        let expected = String(cString: getpwuid(getuid())!.pointee.pw_name)
        #expect(who == expected)
    }

    @Test func killedBetweenTheRecordAndTheDecisionThenRerunEachDecisionIsWrittenOnce() throws {
        let (queues, held) = try filmBlogQueues()
        let arguments = ["decide", "--queues", queues.path, "--reviewer", "ana", "--reject", held[0]]
        let approveBefore = try Data(contentsOf: queues.appendingPathComponent("reject.jsonl"))
        let killed = try runModerate(arguments, environment: ["MODERATE_TEST_KILL_AT": "between-record-and-decision"])
        #expect(killed.terminationReason == .uncaughtSignal && killed.terminationStatus == SIGKILL)
        // The record is in reject.jsonl, without its decision line: the next open cuts it back.
        #expect(try Data(contentsOf: queues.appendingPathComponent("reject.jsonl")).count > approveBefore.count)
        let rerun = try Moderate.run(arguments)
        #expect(rerun.status == 0, "\(rerun.stderr)")
        #expect(rerun.stderr.contains("1 recorded"))
        #expect(try records(queues, "decisions.jsonl").map { $0["id"] as? String } == [held[0]])
        #expect(try records(queues, "reject.jsonl").filter { $0["id"] as? String == held[0] }.count == 1)
        // And a run of the same export afterwards queues nothing again.
        let run = try Moderate.run(["run", "--queues", queues.path, "fixtures/film-blog.jsonl"])
        #expect(run.stderr.contains("24 already queued"), "\(run.stderr)")
    }

    @Test func aRunAndDecisionsAtOnceEachRecordOnce() throws {
        let folder = try scratchDirectory()
        let queues = folder.appendingPathComponent("queues")
        let held = try filmBlogQueues()
        // Start from the film blog's queues, then run a big export into them while deciding.
        try FileManager.default.removeItem(at: folder)
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        try FileManager.default.copyItem(at: held.queues, to: queues)
        let export = folder.appendingPathComponent("big.jsonl")
        let (ids, _) = try writeExport(count: 20_000, to: export)
        let run = try runInBackground(["run", "--wait", "--queues", queues.path, "--quiet", export.path])
        for id in held.held {
            let result = try Moderate.run(["decide", "--queues", queues.path, "--reviewer", "ana", "--reject", id])
            #expect(result.status == 0, "\(result.stderr)")
        }
        run.waitUntilExit()
        #expect(run.terminationStatus == 0 || run.terminationStatus == 1)
        #expect(try records(queues, "decisions.jsonl").map { $0["id"] as? String } == held.held)
        // Every record is there once: the rules' records of both inputs, and one per decision.
        var seen: [String: Int] = [:]
        for queue in ["approve", "hold", "reject"] {
            for record in try records(queues, "\(queue).jsonl") where review(of: record) == nil {
                seen[record["id"] as! String, default: 0] += 1
            }
        }
        #expect(ids.isSubset(of: Set(seen.keys)))
        #expect(seen.values.allSatisfy { $0 == 1 })
        #expect(try records(queues, "reject.jsonl").filter { review(of: $0) != nil }.count == held.held.count)
    }
}

func review(of record: [String: Any]) -> [String: Any]? {
    (record["moderation"] as? [String: Any])?["review"] as? [String: Any]
}
