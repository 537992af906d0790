import Foundation
import Testing

@Suite(.serialized) struct ExplainCommandTests {
    @Test func showsStagesFiredRulesTheMatchInContextAndStagesThatDidNotRun() throws {
        let result = try Moderate.run(["explain", "--text", "Great film. Check out my channel, sub4sub anyone?"])
        #expect(result.status == 0, "\(result.stderr)")
        let expected = """
            comment text-1 (--text)
              stage allow: no rule fired (0 checked)
              stage spam: 4 of N rules fired, score now 15
                spam.check-out-my score +4
                  Asks readers to check out, visit or watch the poster's own channel, page or site.
                  body 12..<32: Great film. [Check out my channel], sub4sub anyone?
                spam.subscribe-ask score +4
                  Asks for subscribers, likes or follows in return ("sub to my channel", "sub4sub").
                  body 34..<41: …t film. Check out my channel, [sub4sub] anyone?
                spam.go-see-this score +4
                  Points readers at something to go and see ("check it out", "go check", "check out X", "search for"); honest comments say this too, so it holds.
                  body 12..<21: Great film. [Check out] my channel, sub4sub anyone?
                spam.own-channel-talk score +3
                  The poster talks about their own channel, videos or music, the start of most self-promotion.
                  body 22..<32: Great film. Check out [my channel], sub4sub anyone?
              stage links: not run, stage spam already decided reject
              stage keywords: not run, stage spam already decided reject
              stage learned: not run, stage spam already decided reject
              decision: reject by spam.check-out-my, score 15: score 15 reached the reject threshold 7
            """
        // The number of rules in the stage changes whenever a rule is added: it is not what this tests.
        let shown = result.stdout.replacingOccurrences(of: #"stage spam: 4 of \d+ rules"#, with: "stage spam: 4 of N rules",
                                                       options: .regularExpression)
        #expect(shown.hasPrefix(expected), "\(result.stdout)")
        // Piped output is plain text: no escape codes unless asked for.
        #expect(!result.stdout.contains("\u{1B}["))
        let coloured = try Moderate.run(["explain", "--color", "always", "--text", "sub4sub"])
        #expect(coloured.stdout.contains("\u{1B}[1;7msub4sub\u{1B}[0m"))
    }

    @Test func explainsEveryCommentOfAnExportWithItsPlace() throws {
        let result = try Moderate.run(["explain", "--format", "jsonl", "fixtures/film-blog.jsonl"])
        #expect(result.status == 0, "\(result.stderr)")
        #expect(result.stdout.components(separatedBy: "\ncomment ").count == 24)
        #expect(result.stdout.contains("comment c011 (fixtures/film-blog.jsonl:11)"))
        #expect(result.stdout.contains("author_url 13..<18: https://best-[cheap]-pills.example/"))
    }

    @Test func needsAnInputOrText() throws {
        let result = try Moderate.run(["explain"])
        #expect(result.status == 64)
        let missing = try Moderate.run(["explain", "no-such-file.jsonl"])
        #expect(missing.status == 66)
    }
}
