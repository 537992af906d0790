import Foundation
import Testing

@Suite(.serialized) struct DiffCommandTests {
    @Test func listsTheCommentsWhoseQueueChangesGroupedWithTheRulesResponsible() throws {
        let old = Moderate.packageRoot.appendingPathComponent("rules").path
        let new = try copyOfDefaultRules()
        // Raise the link score and stop trusting wikipedia links: single links now reach the hold threshold.
        try raiseLinkScoreAndDistrustWikipedia(in: new)
        let result = try Moderate.run(["diff", "--rules", new.path, "--against", old, "fixtures/film-blog.jsonl"])
        #expect(result.status == 0, "\(result.stderr)")
        #expect(result.stdout.contains("approve → hold: "), "\(result.stdout)")
        #expect(result.stdout.contains("""
              c004 (fixtures/film-blog.jsonl:4)
                now:    hold by links.any-link (score 3 reached the hold threshold 3)
                before: approve (no rule decided and score 0 is under the hold threshold)
                fires now only: links.any-link
            """), "\(result.stdout)")
        #expect(result.stdout.range(of: #"\n\d+ of 24 comments change queue: \d+ approve → hold"#, options: .regularExpression) != nil)

        let json = try Moderate.run(["diff", "--json", "--rules", new.path, "--against", old, "fixtures/film-blog.jsonl"])
        #expect(json.status == 0, "\(json.stderr)")
        let object = try #require(try JSONSerialization.jsonObject(with: Data(json.stdout.utf8)) as? [String: Any])
        #expect(object["compared"] as? Int == 24)
        let groups = try #require(object["groups"] as? [[String: Any]])
        let toHold = try #require(groups.first { $0["from"] as? String == "approve" && $0["to"] as? String == "hold" })
        let comments = try #require(toHold["comments"] as? [[String: Any]])
        #expect(toHold["count"] as? Int == comments.count)
        let c004 = try #require(comments.first { $0["id"] as? String == "c004" })
        #expect((c004["now"] as? [String: Any])?["rule"] as? String == "links.any-link")
        #expect((c004["before"] as? [String: Any])?["rule"] is NSNull)
        #expect(c004["fires_now_only"] as? [String] == ["links.any-link"])
    }

    @Test func comparesUncommittedEditsWithTheCommittedRulesInOneCommand() throws {
        let rules = try copyOfDefaultRules()
        let checkout = rules.deletingLastPathComponent()
        func git(_ arguments: [String]) throws {
            let process = Process()
            process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
            process.arguments = ["git", "-C", checkout.path, "-c", "user.name=test", "-c", "user.email=test@example.org"] + arguments
            process.standardOutput = FileHandle.nullDevice
            try process.run()
            process.waitUntilExit()
            #expect(process.terminationStatus == 0, "git \(arguments)")
        }
        try git(["init", "-q"])
        try git(["add", "."])
        try git(["commit", "-q", "-m", "rules"])
        try raiseLinkScoreAndDistrustWikipedia(in: rules)
        let export = Moderate.packageRoot.appendingPathComponent("fixtures/film-blog.jsonl").path
        let result = try Moderate.run(["diff", "--against-git", "HEAD", export], in: checkout)
        #expect(result.status == 0, "\(result.stderr)")
        #expect(result.stdout.hasSuffix("2 of 24 comments change queue: 1 approve → hold, 1 hold → reject\n"), "\(result.stdout)")

        let unknown = try Moderate.run(["diff", "--against-git", "no-such-revision", export], in: checkout)
        #expect(unknown.status == 2)
        #expect(unknown.stderr.contains("cannot read rules at git revision no-such-revision"))
        let neither = try Moderate.run(["diff", export], in: checkout)
        #expect(neither.status == 64)
    }

    @Test func identicalRulesChangeNothing() throws {
        let result = try Moderate.run(["diff", "--rules", "rules", "--against", "rules", "fixtures/film-blog.jsonl"])
        #expect(result.status == 0)
        #expect(result.stdout == "0 of 24 comments change queue\n")
    }

    @Test func anErrorInTheOldRulesExitsTwo() throws {
        let old = try copyOfDefaultRules()
        try replace("stage: links", with: "stage: nowhere", in: old.appendingPathComponent("links.yaml"))
        let result = try Moderate.run(["diff", "--against", old.path, "fixtures/film-blog.jsonl"])
        #expect(result.status == 2)
        #expect(result.stderr.contains("links.yaml"))
    }
}
