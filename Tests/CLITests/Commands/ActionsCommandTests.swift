import Foundation
import Testing
import ModerateCore

/// `moderate actions`, run as a user does: queues made by `moderate run`, decisions written
/// with `HumanDecision(...).jsonLine`, the WP-CLI script checked with `sh -n` and run with a fake
/// `wp` on PATH that records its arguments.
@Suite(.serialized) struct ActionsCommandTests {
    private func runQueues(_ input: String) throws -> URL {
        let queues = try scratchDirectory().appendingPathComponent("queues")
        let result = try Moderate.run(["run", "--quiet", "--queues", queues.path, input])
        #expect(result.status == 0, "\(result.stderr)")
        return queues
    }

    private func actions(_ queues: URL, _ arguments: [String]) throws -> Moderate.Result {
        try Moderate.run(["actions", "--queues", queues.path] + arguments)
    }

    private func decide(_ queues: URL, _ id: String, from: Action, to: Action, when: String = HumanDecision.timestamp()) throws {
        let path = queues.appendingPathComponent(DecisionLog.fileName).path
        if !FileManager.default.fileExists(atPath: path) {
            FileManager.default.createFile(atPath: path, contents: nil, attributes: [.posixPermissions: 0o600])
        }
        let handle = try FileHandle(forWritingTo: URL(fileURLWithPath: path))
        try handle.seekToEnd()
        try handle.write(contentsOf: Data(HumanDecision(id: id, from: from, to: to, who: "ana", when: when).jsonLine))
        try handle.close()
    }

    /// The `$WP comment …` lines of a script.
    private func commands(_ script: String) -> [String] {
        script.split(separator: "\n").map(String.init).filter { $0.hasPrefix("$WP ") }
    }

    /// Runs `script` with sh: first `sh -n` (it must parse), then for real with a fake `wp` on
    /// PATH that writes each call's arguments, one a line, to a log. Returns the calls.
    private func runScript(_ script: String, in directory: URL) throws -> [[String]] {
        let scriptFile = directory.appendingPathComponent("apply.sh")
        try script.write(to: scriptFile, atomically: true, encoding: .utf8)
        #expect(try shell(["sh", "-n", scriptFile.path], in: directory) == 0, "not valid shell:\n\(script)")
        let bin = directory.appendingPathComponent("bin")
        try FileManager.default.createDirectory(at: bin, withIntermediateDirectories: true)
        let log = directory.appendingPathComponent("wp.log")
        let fakeWP = bin.appendingPathComponent("wp")
        try "#!/bin/sh\nfor a in \"$@\"; do printf '%s\\n' \"$a\"; done >> \"$WP_LOG\"\necho '--end--' >> \"$WP_LOG\"\n"
            .write(to: fakeWP, atomically: true, encoding: .utf8)
        try FileManager.default.setAttributes([.posixPermissions: 0o755], ofItemAtPath: fakeWP.path)
        let environment = ["PATH": bin.path + ":/usr/bin:/bin", "WP_LOG": log.path]
        #expect(try shell(["sh", scriptFile.path], in: directory, environment: environment) == 0)
        let text = (try? String(contentsOf: log, encoding: .utf8)) ?? ""
        return text.components(separatedBy: "--end--\n").filter { !$0.isEmpty }
            .map { $0.split(separator: "\n", omittingEmptySubsequences: false).dropLast().map(String.init) }
    }

    private func shell(_ arguments: [String], in directory: URL, environment: [String: String]? = nil) throws -> Int32 {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = arguments
        process.currentDirectoryURL = directory
        if let environment { process.environment = environment }
        try process.run()
        process.waitUntilExit()
        return process.terminationStatus
    }

    @Test func theFixtureExportGivesAScriptOfWhatWordPressMustChange() throws {
        let queues = try runQueues("fixtures/wordpress-export.xml")
        let result = try actions(queues, ["--for", "wp-cli"])
        #expect(result.status == 0, "\(result.stderr)")
        // 501-503 are approved in WordPress and approved here, 504 is spam and rejected here:
        // left out. 601 is pending in WordPress and approved here. 602 is in WordPress's trash:
        // a rule does not take it out.
        #expect(result.stdout.hasPrefix("#!/bin/sh\n"))
        #expect(commands(result.stdout) == ["$WP comment approve 601"])
        #expect(result.stderr.contains("1 approve, 0 hold, 0 reject; left out: 4 already so on the site, 1 deleted on the site"))
        let calls = try runScript(result.stdout, in: queues.deletingLastPathComponent())
        #expect(calls == [["comment", "approve", "601"]])
    }

    @Test func twiceInARowTheSecondEmitsNothingAndANewDecisionOnlyItself() throws {
        let queues = try runQueues("fixtures/wordpress-export.xml")
        #expect(commands(try actions(queues, ["--for", "wp-cli"]).stdout) == ["$WP comment approve 601"])
        let second = try actions(queues, ["--for", "wp-cli"])
        #expect(second.status == 0)
        #expect(commands(second.stdout).isEmpty)
        #expect(second.stderr.contains("1 already emitted"))
        // A person rejects 502 (approved by the run and on the site) and holds 602 (trashed).
        try decide(queues, "502", from: .approve, to: .reject)
        try decide(queues, "602", from: .approve, to: .hold)
        let third = try actions(queues, ["--for", "wp-cli"])
        #expect(commands(third.stdout) == ["$WP comment unapprove 602", "$WP comment spam 502"])
        #expect(commands(try actions(queues, ["--for", "wp-cli"]).stdout).isEmpty)
        // The person changes their mind on 502: it is emitted again, as what it is now.
        try decide(queues, "502", from: .reject, to: .approve)
        #expect(commands(try actions(queues, ["--for", "wp-cli"]).stdout).isEmpty)  // approved on the site already
        try decide(queues, "502", from: .approve, to: .hold)
        #expect(commands(try actions(queues, ["--for", "wp-cli"]).stdout) == ["$WP comment unapprove 502"])
        // --all emits everything that differs from the site, emitted or not.
        #expect(commands(try actions(queues, ["--for", "wp-cli", "--all"]).stdout)
                == ["$WP comment approve 601", "$WP comment unapprove 502 602"])
        // Each target keeps its own record.
        let csv = try actions(queues, ["--for", "csv"])
        #expect(csv.stdout.components(separatedBy: "\r\n").filter { !$0.isEmpty }.count == 7)  // header and 6 comments
    }

    @Test func nothingIsRecordedAsEmittedWhenTheOutputCannotBeWritten() throws {
        let queues = try runQueues("fixtures/wordpress-export.xml")
        let process = Process()
        process.executableURL = Moderate.binary
        process.arguments = ["actions", "--queues", queues.path, "--for", "wp-cli"]
        process.standardOutput = try #require(FileHandle(forWritingAtPath: "/dev/full"))
        process.standardError = FileHandle.nullDevice
        try process.run()
        process.waitUntilExit()
        #expect(process.terminationStatus == 74)
        #expect(commands(try actions(queues, ["--for", "wp-cli"]).stdout) == ["$WP comment approve 601"])
    }

    @Test func hostileIdsAreSkippedWithAWarningAndNothingFromAnExportReachesTheShell() throws {
        let scratch = try scratchDirectory()
        let hostileIDs = ["7$(touch pwned)", "8`touch pwned`", "9;touch pwned", "10\ntouch pwned", "11' \"x", "0", "12 13"]
        let bodies = ["$(touch pwned)", "`touch pwned`", "'; touch pwned; echo '", "\"\n; touch pwned\n", "a\\\n$HOME"]
        var objects: [[String: Any]] = []
        for (number, id) in hostileIDs.enumerated() {
            objects.append(["comment_ID": id, "comment_post_ID": "1", "comment_author": "x", "comment_content": "Nice film, number \(number).",
                            "comment_approved": "spam", "comment_date_gmt": "2024-02-12 10:00:00"])
        }
        for (number, body) in bodies.enumerated() {
            // Valid ids with hostile bodies and authors: spam on the site, so whatever the run
            // decides but reject is an action.
            objects.append(["comment_ID": "\(100 + number)", "comment_post_ID": "1", "comment_author": "$(touch pwned) '\"",
                            "comment_content": body, "comment_approved": "spam", "comment_date_gmt": "2024-02-12 10:00:00"])
        }
        let export = scratch.appendingPathComponent("comments.json")
        try JSONSerialization.data(withJSONObject: objects).write(to: export)
        let queues = scratch.appendingPathComponent("queues")
        let run = try Moderate.run(["run", "--quiet", "--queues", queues.path, export.path])
        #expect(run.status == 0, "\(run.stderr)")

        let result = try actions(queues, ["--for", "wp-cli"])
        #expect(result.status == 0, "\(result.stderr)")
        for id in hostileIDs {
            let shown = id.replacingOccurrences(of: "\n", with: "\\n")
            #expect(result.stderr.contains("skipped id \"\(shown)\""), "\(shown)")
        }
        #expect(!result.stderr.contains("\ntouch"), "a raw line break reached stderr")
        // What the script must do: the valid ids whose queue is not reject (spam on the site).
        var expected: [String: [String]] = [:]
        for (queue, command) in [("approve", "approve"), ("hold", "unapprove")] {
            for record in try records(queues, "\(queue).jsonl") {
                let id = try #require(record["id"] as? String)
                if !hostileIDs.contains(id) { expected[command, default: []].append(id) }
            }
        }
        #expect(!expected.isEmpty)
        let calls = try runScript(result.stdout, in: scratch)
        #expect(!FileManager.default.fileExists(atPath: scratch.appendingPathComponent("pwned").path))
        var called: [String: [String]] = [:]
        for call in calls {
            #expect(call.count >= 3 && call[0] == "comment")
            called[call[1], default: []] += call.dropFirst(2)
        }
        #expect(called.mapValues { $0.sorted() } == expected.mapValues { $0.sorted() })
        #expect(!result.stdout.contains("pwned"))
    }

    @Test func sinceKeepsDecisionsAfterItAndCommentsDatedAfterIt() throws {
        let queues = try runQueues("fixtures/wordpress-export.xml")
        // The fixture's comments are from 2024: none is after 2025, but a decision of 2026 is.
        try decide(queues, "503", from: .approve, to: .reject, when: "2026-12-03T10:00:00Z")
        let result = try actions(queues, ["--for", "wp-cli", "--since", "2025-01-01T00:00:00Z"])
        #expect(result.status == 0, "\(result.stderr)")
        #expect(commands(result.stdout) == ["$WP comment spam 503"])
        #expect(result.stderr.contains("5 before --since"))
        let bad = try actions(queues, ["--for", "wp-cli", "--since", "last tuesday"])
        #expect(bad.status == 64)
        #expect(bad.stderr.contains("ISO 8601"))
    }

    @Test func disqusGetsOneRequestPerEndpointWithItsPostIDs() throws {
        let queues = try runQueues("fixtures/disqus-export.xml")
        let result = try actions(queues, ["--for", "disqus"])
        #expect(result.status == 0, "\(result.stderr)")
        let requests = try result.stdout.split(separator: "\n").map {
            try #require(try JSONSerialization.jsonObject(with: Data($0.utf8)) as? [String: Any])
        }
        // Every approved post with a Disqus id, and no reject: the rejected one is spam there already.
        let approved = try records(queues, "approve.jsonl").compactMap { $0["id"] as? String }.filter { Int($0) != nil }
        #expect(requests.count == 1)
        #expect(requests.first?["endpoint"] as? String == "posts/approve")
        #expect(requests.first?["post"] as? [String] == approved)
        #expect(requests.first?["form"] as? String == approved.map { "post=\($0)" }.joined(separator: "&"))
        #expect(try actions(queues, ["--for", "disqus"]).stdout.isEmpty)
    }

    @Test func aMissingQueueDirectoryIsSaid() throws {
        let result = try Moderate.run(["actions", "--for", "csv", "--queues", try scratchDirectory().appendingPathComponent("none").path])
        #expect(result.status == 66)
        #expect(result.stderr.contains("no queue directory"))
    }
}
