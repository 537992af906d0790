import Foundation
import Testing

/// Comment text, ids and rule-file text reach stdout and stderr terminal-safe (README,
/// Security, "Terminal output"): no ESC or BEL byte, and no line forged by a field.
@Suite(.serialized) struct TerminalOutputTests {
    /// OSC 52 (write the clipboard) and a line break that would start a line of its own.
    static let hostile = "\u{1B}]52;c;cm0gLXJmIH4=\u{07}\n  decision: approve by allow.x\n    now:    approve"

    /// An export with one spam comment whose id and body carry the hostile text, and a line
    /// that is not a comment (a raw ESC is not valid in JSON) whose error is relayed on stderr:
    /// so commands reading it exit 1.
    private func hostileExport(in scratch: URL) throws -> URL {
        let input = scratch.appendingPathComponent("in.jsonl")
        try writeLines([commentLine(id: "c1" + Self.hostile, body: "Check out my channel, sub4sub " + Self.hostile + " anyone?")
                        .replacingOccurrences(of: "\"tester\"", with: "\"tester\\u001b[2J\"")] +
                       [#"{"id": "x"# + "\u{1B}" + #"]0;title\u0007", "body": "plain", "label": "1"}"#], to: input)
        return input
    }

    private func expectSafe(_ result: Moderate.Result, _ command: String) {
        let output = result.stdout + result.stderr
        #expect(!output.utf8.contains(0x1B), "\(command): ESC in output:\n\(output)")
        #expect(!output.utf8.contains(0x07), "\(command): BEL in output:\n\(output)")
        let lines = output.split(separator: "\n").map { $0.trimmingCharacters(in: .whitespaces) }
        #expect(!lines.contains { $0.hasPrefix("decision: approve by allow.x") || $0.hasPrefix("now:    approve") },
                "\(command): a forged line:\n\(output)")
    }

    @Test func explainShowsHostileTextAsEscapesOnItsOwnLine() throws {
        let scratch = try scratchDirectory()
        let result = try Moderate.run(["explain", try hostileExport(in: scratch).path])
        #expect(result.status == 1, "\(result.stderr)")
        expectSafe(result, "explain")
        #expect(result.stdout.contains(#"comment c1\u{1B}]52;c;cm0gLXJmIH4=\u{7}\n  decision: approve by allow.x\n    now:    approve ("#),
                "\(result.stdout)")
        // --text too, and colour (the only ESC allowed) stays off when piped.
        expectSafe(try Moderate.run(["explain", "--text", "sub4sub " + Self.hostile]), "explain --text")
    }

    @Test func explainBoundsALongMatch() throws {
        let body = "sub4sub " + String(repeating: "x", count: 100_000)
        let scratch = try scratchDirectory()
        let rules = scratch.appendingPathComponent("rules")
        try FileManager.default.createDirectory(at: rules, withIntermediateDirectories: true)
        try "stages: [spam]\n".write(to: rules.appendingPathComponent("pipeline.yaml"), atomically: true, encoding: .utf8)
        try "stage: spam\nrules:\n  - id: all\n    description: d\n    pattern: 'sub4sub.*'\n    score: 1\n"
            .write(to: rules.appendingPathComponent("spam.yaml"), atomically: true, encoding: .utf8)
        let result = try Moderate.run(["explain", "--rules", rules.path, "--text", body])
        #expect(result.status == 0, "\(result.stderr)")
        let hit = try #require(result.stdout.split(separator: "\n").first { $0.contains("body 0..<100008") })
        #expect(hit.count < 300, "\(hit.count)")
        #expect(hit.contains("[sub4sub " + String(repeating: "x", count: 92) + "…" + String(repeating: "x", count: 100) + "]"))
    }

    @Test func diffShowsHostileIdsAsEscapes() throws {
        let scratch = try scratchDirectory()
        let empty = scratch.appendingPathComponent("empty-rules")
        try FileManager.default.createDirectory(at: empty, withIntermediateDirectories: true)
        try "stages: [allow, spam, links, keywords]\n".write(to: empty.appendingPathComponent("pipeline.yaml"), atomically: true, encoding: .utf8)
        let result = try Moderate.run(["diff", "--against", empty.path, try hostileExport(in: scratch).path])
        #expect(result.status == 1, "\(result.stderr)")
        #expect(result.stdout.contains("approve → reject: 1 comment"), "\(result.stdout)")
        expectSafe(result, "diff")
    }

    /// Rule files are hostile too (a pull request to the rules): an id and a description
    /// with ESC and BEL, printed by lint, eval and explain.
    @Test func lintEvalAndExplainShowHostileRuleTextAsEscapes() throws {
        let scratch = try scratchDirectory()
        let rules = scratch.appendingPathComponent("rules")
        try FileManager.default.createDirectory(at: rules, withIntermediateDirectories: true)
        try "stages: [spam]\n".write(to: rules.appendingPathComponent("pipeline.yaml"), atomically: true, encoding: .utf8)
        try """
            stage: spam
            rules:
              - id: "spam.x\\e]52;c;AAAA\\a"
                description: "Sub4sub\\e]0;title\\a asks."
                pattern: 'sub4sub'
                score: 5
              - id: "broken\\e[2J"
                description: d
                pattern: "(\\e[31m"
                score: 1
            """.write(to: rules.appendingPathComponent("spam.yaml"), atomically: true, encoding: .utf8)
        let lint = try Moderate.run(["lint", "--rules", rules.path])
        #expect(lint.status == 2)
        #expect(lint.stdout.contains(#"rule 'broken\u{1B}[2J': pattern: missing terminating ]"#), "\(lint.stdout)")
        expectSafe(lint, "lint")
        try "stage: spam\nrules:\n  - id: \"spam.x\\e]52;c;AAAA\\a\"\n    description: \"Sub4sub\\e]0;t\\a asks.\"\n    pattern: sub4sub\n    score: 5\n"
            .write(to: rules.appendingPathComponent("spam.yaml"), atomically: true, encoding: .utf8)
        expectSafe(try Moderate.run(["lint", "--literals", "--rules", rules.path]), "lint --literals")
        let input = try hostileExport(in: scratch)
        let eval = try Moderate.run(["eval", "--rules", rules.path, "--label", "label", input.path])
        #expect(eval.stdout.contains(#"spam.x\u{1B}]52;c;AAAA\u{7}"#), "\(eval.stdout)")
        expectSafe(eval, "eval")
        expectSafe(try Moderate.run(["explain", "--rules", rules.path, input.path]), "explain with hostile rules")
        expectSafe(try Moderate.run(["test", "--rules", rules.path]), "test")
    }

    /// stderr: a rule error relayed from the engine, an input error naming a file, the lock holder.
    @Test func runMessagesOnStderrAreSafe() throws {
        let scratch = try scratchDirectory()
        let queues = scratch.appendingPathComponent("queues")
        let first = try Moderate.run(["run", "--queues", queues.path, try hostileExport(in: scratch).path])
        #expect(first.status == 1, "\(first.stderr)")
        expectSafe(first, "run")
        // Whatever another process wrote into the lock file is shown, but not obeyed. The
        // lock is held by a child that keeps it (flock) while this run tries.
        let lock = queues.appendingPathComponent(".moderate/lock")
        try Data(("666" + Self.hostile).utf8).write(to: lock)
        let holder = Process()
        holder.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        holder.arguments = ["flock", "--shared", lock.path, "sleep", "5"]
        try holder.run()
        defer { holder.terminate(); holder.waitUntilExit() }
        Thread.sleep(forTimeInterval: 0.5)
        let locked = try Moderate.run(["run", "--queues", queues.path, try hostileExport(in: scratch).path])
        #expect(locked.status == 75, "\(locked.stderr)")
        #expect(locked.stderr.contains("\\u{1B}]52;"), "\(locked.stderr)")
        expectSafe(locked, "run (locked)")
        let missing = try Moderate.run(["run", "--queues", queues.path, scratch.appendingPathComponent("no\u{1B}[2Jfile").path])
        expectSafe(missing, "run (missing input)")
    }
}
