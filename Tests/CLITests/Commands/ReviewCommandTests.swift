import Foundation
import Testing

@Suite(.serialized) struct ReviewCommandTests {
    @Test func withoutATerminalItRefusesAndPointsToDecide() throws {
        let (queues, _) = try filmBlogQueues()
        let result = try Moderate.run(["review", "--queues", queues.path])
        #expect(result.status == 64)
        #expect(result.stderr.contains("needs a terminal"))
        #expect(result.stderr.contains("moderate decide"))
        #expect(!FileManager.default.fileExists(atPath: queues.appendingPathComponent("decisions.jsonl").path))
    }

    /// A held comment whose body tries to set the clipboard (OSC 52) and retitle the window.
    private func addHostileHeldComment(to queues: URL) throws {
        let body = "\u{1B}]52;c;ZXZpbA==\u{07}\u{1B}]0;owned\u{07}plain words after"
        let record: [String: Any] = ["id": "hostile-1", "author": "x\u{1B}[2Jy", "body": body,
                                     "moderation": ["decision": "hold", "id": "hostile-1", "fired": [] as [Any], "rules": "sha256:0"]]
        var line = try JSONSerialization.data(withJSONObject: record, options: [.sortedKeys])
        line.append(0x0A)
        let hold = try FileHandle(forWritingTo: queues.appendingPathComponent("hold.jsonl"))
        try hold.seekToEnd()
        try hold.write(contentsOf: line)
        try hold.close()
    }

    private func command(_ queues: URL, _ environment: String = "", extra: String = "") -> String {
        "env -u NO_COLOR LANG=C.UTF-8 LC_ALL=C.UTF-8 \(environment) \(Moderate.binary.path) review --queues \(queues.path) --reviewer ana \(extra); echo EXITED=$?; sleep 15"
    }

    @Test(.enabled(if: Tmux.available, "tmux is not installed (scripts/setup installs it; CI runs the test)"))
    func aPersonApprovesRejectsSkipsUndoesAndQuits() throws {
        let (queues, held) = try filmBlogQueues()
        try addHostileHeldComment(to: queues)
        let total = held.count + 1
        let tmux = Tmux()
        defer { tmux.stop() }
        let metrics = queues.deletingLastPathComponent().appendingPathComponent("review.prom")
        try tmux.start(command(queues, extra: "--metrics \(metrics.path)"))
        var pane = try tmux.waitFor("\(total) left")
        #expect(pane.contains("id \(held[0])"))
        #expect(pane.contains("a approve  r reject  s skip  u undo  ? help  q quit"))
        #expect(pane.split(separator: "\n", omittingEmptySubsequences: false).count >= 24)
        try tmux.keys("a")
        pane = try tmux.waitFor("approved \(held[0])")
        #expect(pane.contains("\(total - 1) left · 1 approved"))
        #expect(pane.contains("id \(held[1])"))
        try tmux.keys("r")
        pane = try tmux.waitFor("rejected \(held[1])")
        #expect(pane.contains("id \(held[2])"))
        try tmux.keys("s")
        pane = try tmux.waitFor("skipped")
        #expect(pane.contains("id \(held[3])"))
        try tmux.keys("u")
        pane = try tmux.waitFor("undone: \(held[1]) is held again")
        #expect(pane.contains("id \(held[1])"))
        #expect(pane.contains("\(total - 1) left · 1 approved · 0 rejected"))
        try tmux.keys("?")
        try tmux.waitFor("Keys")
        try tmux.keys("x")
        try tmux.waitFor("id \(held[1])")
        // A wide terminal: the same comment, the header across 120 columns.
        try tmux.run(["resize-window", "-x", "120", "-y", "40"])
        let deadline = Date().addingTimeInterval(10)
        func rows(_ pane: String) -> Int { pane.split(separator: "\n", omittingEmptySubsequences: false).count }
        repeat {
            pane = try tmux.screen()
            if rows(pane) >= 40 && pane.contains("a approve") { break }
            Thread.sleep(forTimeInterval: 0.1)
        } while Date() < deadline
        #expect(rows(pane) >= 40, "\(pane)")
        #expect(pane.contains("a approve  r reject"))
        #expect(pane.contains("id \(held[1])"))
        // Skip to the hostile comment (the last): its escapes are shown, not obeyed.
        for _ in 0..<(total - 1) {
            if try tmux.screen().contains("id hostile-1") { break }
            try tmux.keys("s")
            Thread.sleep(forTimeInterval: 0.3)
        }
        pane = try tmux.waitFor("id hostile-1")
        #expect(pane.contains(#"\u{1B}]52;c;ZXZpbA==\u{7}"#))
        #expect(pane.contains("plain words after"))
        #expect(pane.contains(#"x\u{1B}[2Jy"#))
        let raw = try tmux.screen(escapes: true)
        #expect(!raw.contains("\u{1B}]52;"), "an OSC 52 sequence reached the terminal")
        #expect(!pane.unicodeScalars.contains("\u{1B}"))
        try tmux.keys("q")
        pane = try tmux.waitFor("EXITED=")
        #expect(pane.contains("EXITED=0"))
        #expect(pane.contains("1 approved, 0 rejected, 1 undone"))
        // The files: approve, reject, and its undo.
        let decisions = try records(queues, "decisions.jsonl")
        #expect(decisions.map { $0["id"] as? String } == [held[0], held[1], held[1]])
        #expect(decisions.map { $0["to"] as? String } == ["approve", "reject", "hold"])
        #expect(decisions.map { $0["undo"] as? Bool ?? false } == [false, false, true])
        #expect(decisions.allSatisfy { $0["who"] as? String == "ana" })
        #expect(try records(queues, "approve.jsonl").filter { $0["id"] as? String == held[0] && review(of: $0) != nil }.count == 1)
        #expect(try records(queues, "hold.jsonl").filter { $0["id"] as? String == held[1] && review(of: $0)?["undo"] as? Bool == true }.count == 1)
        // --metrics: what this review decided, and the backlog it left (one approved for good).
        let text = try String(contentsOf: metrics, encoding: .utf8)
        #expect(text.contains("# TYPE moderate_review_decisions gauge"), "\(text)")
        #expect(text.contains(#"moderate_review_decisions{decision="approve"} 1.0"#) || text.contains(#"moderate_review_decisions{decision="approve"} 1"#), "\(text)")
        #expect(text.contains(#"moderate_review_decisions{decision="undo"} 1"#), "\(text)")
        #expect(text.contains("moderate_review_hold_backlog \(total - 1)"), "\(text)")
    }

    @Test(.enabled(if: Tmux.available, "tmux is not installed (scripts/setup installs it; CI runs the test)"))
    func noColorLeavesColoursOutButKeepsTheHighlight() throws {
        let (queues, held) = try filmBlogQueues()
        // The comment with a body highlight (a keyword rule fired on its text).
        let highlighted = try #require(try records(queues, "hold.jsonl").first { record in
            let fired = ((record["moderation"] as? [String: Any])?["fired"] as? [[String: Any]]) ?? []
            return fired.contains { (($0["hits"] as? [[String: Any]]) ?? []).contains { ($0["field"] as? String)?.hasPrefix("body") == true } }
        }?["id"] as? String)
        let position = try #require(held.firstIndex(of: highlighted))
        func screenOfHighlighted(_ environment: String) throws -> String {
            let tmux = Tmux()
            defer { tmux.stop() }
            try tmux.start(command(queues, environment))
            try tmux.waitFor("left")
            for _ in 0..<position { try tmux.keys("s"); Thread.sleep(forTimeInterval: 0.2) }
            try tmux.waitFor("id \(highlighted)")
            return try tmux.screen(escapes: true)
        }
        let colour = try screenOfHighlighted("TERM=xterm-256color")
        let plain = try screenOfHighlighted("TERM=xterm-256color NO_COLOR=1")
        let colourCodes = #/\x1B\[[0-9;]*3[0-7]m|\x1B\[[0-9;]*38;/#
        #expect(colour.contains(colourCodes), "no colour without NO_COLOR:\n\(colour)")
        #expect(!plain.contains(colourCodes), "colour despite NO_COLOR:\n\(plain)")
        #expect(plain.contains("\u{1B}[7m"), "the highlight (reverse video) is gone:\n\(plain)")
    }
}
