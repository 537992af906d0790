import Foundation
import Testing

@Suite(.serialized) struct LearnCommandTests {
    /// Comments written for these tests: casino spam and film talk.
    static let lesson: String = {
        let spam = ["Jackpot casino bonus, claim your free spins", "Best casino jackpot tonight, free spins bonus",
                    "Free spins and a casino bonus for new players", "Casino jackpot: claim the bonus now"]
        let ham = ["The last scene of the film stayed with me", "A lovely film, the director framed every scene well",
                   "I watched the film twice for that scene", "The director's earlier film had a better score"]
        var lines: [String] = []
        for (n, text) in spam.enumerated() { lines.append(#"{"id":"s\#(n)","body":"\#(text)","label":"1"}"#) }
        for (n, text) in ham.enumerated() { lines.append(#"{"id":"h\#(n)","body":"\#(text)","label":"0"}"#) }
        return lines.joined(separator: "\n") + "\n"
    }()

    /// A rules directory without a learned stage, and the lesson beside it.
    private func rulesAndLesson() throws -> (rules: URL, lesson: URL) {
        let folder = try scratchDirectory()
        let rules = folder.appendingPathComponent("rules")
        try FileManager.default.createDirectory(at: rules, withIntermediateDirectories: true)
        try "stages: [spam]\nthresholds: {hold: 3, reject: 7}\n".write(to: rules.appendingPathComponent("pipeline.yaml"), atomically: true, encoding: .utf8)
        let lesson = folder.appendingPathComponent("lesson.jsonl")
        try Self.lesson.write(to: lesson, atomically: true, encoding: .utf8)
        return (rules, lesson)
    }

    private func snapshot(_ directory: URL) throws -> [String: Data] {
        var files: [String: Data] = [:]
        for name in try FileManager.default.contentsOfDirectory(atPath: directory.path) {
            files[name] = try Data(contentsOf: directory.appendingPathComponent(name))
        }
        return files
    }

    @Test func learnCreatesTheModelNamesItAndARepeatChangesNoByte() throws {
        let (rules, lesson) = try rulesAndLesson()
        let first = try Moderate.run(["learn", "--rules", rules.path, "--label", "label", lesson.path])
        #expect(first.status == 0, "\(first.stderr)")
        #expect(first.stdout.contains("learned 4 spam and 4 ham comment(s)"))
        let pipeline = try String(contentsOf: rules.appendingPathComponent("pipeline.yaml"), encoding: .utf8)
        #expect(pipeline.contains("learned:\n  model: learned.model\n"))
        let before = try snapshot(rules)
        #expect(before["learned.model"] != nil)

        let again = try Moderate.run(["learn", "--rules", rules.path, "--label", "label", lesson.path])
        #expect(again.status == 0, "\(again.stderr)")
        #expect(again.stdout.contains("8 already learned"))
        #expect(try snapshot(rules) == before)
    }

    /// `--fresh` retrains the pipeline's own model from nothing: learning the lesson into a
    /// model that first learned something else gives the same bytes as learning it alone.
    @Test func freshRetrainsThePipelinesModelFromNothing() throws {
        let (rules, lesson) = try rulesAndLesson()
        #expect(try Moderate.run(["learn", "--rules", rules.path, "--label", "label", lesson.path]).status == 0)
        let alone = try Data(contentsOf: rules.appendingPathComponent("learned.model"))
        let other = rules.deletingLastPathComponent().appendingPathComponent("other.jsonl")
        try #"{"id":"x1","body":"Cheap watches sold here today","label":"1"}"#.appending("\n")
            .write(to: other, atomically: true, encoding: .utf8)
        #expect(try Moderate.run(["learn", "--rules", rules.path, "--label", "label", other.path]).status == 0)
        #expect(try Data(contentsOf: rules.appendingPathComponent("learned.model")) != alone)

        let fresh = try Moderate.run(["learn", "--fresh", "--rules", rules.path, "--label", "label", lesson.path])
        #expect(fresh.status == 0, "\(fresh.stderr)")
        #expect(fresh.stdout.contains("learned 4 spam and 4 ham comment(s) (0 relabelled, 0 already learned"), "\(fresh.stdout)")
        #expect(try Data(contentsOf: rules.appendingPathComponent("learned.model")) == alone)
    }

    @Test func afterLearningExplainAndEvalSeeTheStage() throws {
        let (rules, lesson) = try rulesAndLesson()
        #expect(try Moderate.run(["learn", "--rules", rules.path, "--label", "label", lesson.path]).status == 0)
        let input = Data(#"{"id":"n1","body":"Claim your casino bonus and free spins"}"#.utf8 + [0x0A])
        let explained = try Moderate.run(["explain", "--rules", rules.path, "-"], stdin: input)
        #expect(explained.status == 0, "\(explained.stderr)")
        #expect(explained.stdout.contains("stage learned:"))
        #expect(explained.stdout.contains("learned: spam probability"))
        #expect(explained.stdout.contains("casino"))
        #expect(explained.stdout.contains("decision: reject by learned:spam"))

        let queues = try scratchDirectory()
        let run = try Moderate.run(["run", "--rules", rules.path, "--queues", queues.path, "-"], stdin: input)
        #expect(run.status == 0, "\(run.stderr)")
        let record = try #require(try records(queues, "reject.jsonl").first)
        let moderation = try #require(record["moderation"] as? [String: Any])
        let learned = try #require(moderation["learned"] as? [String: Any])
        #expect((learned["probability"] as? Double ?? 0) > 0.9)
        let tokens = try #require(learned["tokens"] as? [[String: Any]]).compactMap { $0["token"] as? String }
        #expect(tokens.contains("casino"))
    }

    @Test func eachExportsLabelFormWorks() throws {
        let (rules, _) = try rulesAndLesson()
        let model = rules.appendingPathComponent("forms.model").path
        func learn(_ arguments: [String]) throws -> String {
            let result = try Moderate.run(["learn", "--rules", rules.path, "--model", model] + arguments)
            #expect(result.status == 0, "\(result.stderr)")
            return result.stdout
        }
        #expect(try learn(["--label", "disqus_is_spam=true", "fixtures/disqus-export.xml"])
            .contains("learned 1 spam and 6 ham comment(s)"))
        // WXR: spam and trash are spam, approved is ham, pending is not learned.
        #expect(try learn(["--label", "wp_approved", "fixtures/wordpress-export.xml"])
            .contains("learned 2 spam and 3 ham comment(s) (0 relabelled, 0 already learned, 1 without a label)"))
        let folder = try scratchDirectory()
        let wpCLI = folder.appendingPathComponent("spam.json")
        try #"[{"comment_ID":"90","comment_content":"Free spins at the casino","comment_approved":"spam"}]"#
            .write(to: wpCLI, atomically: true, encoding: .utf8)
        #expect(try learn(["--label", "wp_approved", wpCLI.path]).contains("learned 1 spam and 0 ham comment(s)"))
        let csv = folder.appendingPathComponent("labelled.csv")
        try "id,text,label\nc1,Casino bonus here,1\nc2,\"A fine film, I thought\",0\n".write(to: csv, atomically: true, encoding: .utf8)
        #expect(try learn(["--label", "label=1", "--map", "body=text", csv.path]).contains("learned 1 spam and 1 ham comment(s)"))
        // Nothing was added to the pipeline: --model names its own file.
        let pipeline = try String(contentsOf: rules.appendingPathComponent("pipeline.yaml"), encoding: .utf8)
        #expect(!pipeline.contains("learned:"))
    }

    @Test func peoplesDecisionsTeachAndCorrect() throws {
        let (rules, lesson) = try rulesAndLesson()
        #expect(try Moderate.run(["learn", "--rules", rules.path, "--label", "label", lesson.path]).status == 0)
        let queues = try scratchDirectory()
        try #"{"id":"s0","body":"Jackpot casino bonus, claim your free spins","moderation":{"decision":"reject"}}"#.appending("\n")
            .write(to: queues.appendingPathComponent("reject.jsonl"), atomically: true, encoding: .utf8)
        try #"{"id":"q1","body":"Free cruise tickets, message me","moderation":{"decision":"hold"}}"#.appending("\n")
            .write(to: queues.appendingPathComponent("hold.jsonl"), atomically: true, encoding: .utf8)
        let decisions = """
            {"id":"q1","from":"hold","to":"reject","who":"ana","when":"2026-12-03T09:00:00Z","fingerprint":"x"}
            {"id":"s0","from":"reject","to":"approve","who":"ben","when":"2026-12-03T09:05:00Z","fingerprint":"x"}

            """
        try decisions.write(to: queues.appendingPathComponent("decisions.jsonl"), atomically: true, encoding: .utf8)
        let result = try Moderate.run(["learn", "--rules", rules.path, "--decisions", queues.path])
        #expect(result.status == 0, "\(result.stderr)")
        #expect(result.stdout.contains("learned 1 spam and 1 ham comment(s) (1 relabelled"))
        #expect(result.stdout.contains(": 4 spam, 5 ham"))
    }

    @Test(arguments: [("garbage\n", "not a moderate model file"),
                      ("moderate-model 99\ntokens words\ncomments 0 0\nlearned 0\ncounts 0\n", "newer than this moderate reads")])
    func aCorruptOrNewerModelStopsEveryCommand(text: String, message: String) throws {
        let (rules, lesson) = try rulesAndLesson()
        #expect(try Moderate.run(["learn", "--rules", rules.path, "--label", "label", lesson.path]).status == 0)
        try text.write(to: rules.appendingPathComponent("learned.model"), atomically: true, encoding: .utf8)
        for arguments in [["learn", "--rules", rules.path, "--label", "label", lesson.path],
                          ["explain", "--rules", rules.path, lesson.path]] {
            let result = try Moderate.run(arguments)
            #expect(result.status == 2)
            #expect(result.stderr.contains("learned.model"))
            #expect(result.stderr.contains(message))
        }
    }
}
