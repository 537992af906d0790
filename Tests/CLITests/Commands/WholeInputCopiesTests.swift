import Foundation
import Testing

/// Copies across the whole input (README, "Copies across the whole input"): the bodies of
/// files are counted before deciding, so every copy of a flood is caught, the first too;
/// everyday short texts are never copies; standard input is counted as it comes.
@Suite(.serialized) struct WholeInputCopiesTests {
    /// Ordinary words, posted by thirty accounts: `spam.copies` (score 4) holds each copy.
    static let flood = "Such a moving story, everyone in my family cried at the ending"

    /// `count` flood copies, each by its own account, every third comment, among ordinary
    /// comments and everyday short texts ("first!", "wow", emoji) that many people post.
    func exportLines(floodCopies count: Int, idPrefix: String = "") -> [String] {
        var lines: [String] = []
        let everyday = ["first!", "wow", "Thanks!", "🔥🔥🔥", "nice video"]
        for index in 0..<count {
            func line(_ id: String, _ author: String, _ body: String, spam: Bool) -> String {
                let object: [String: Any] = ["id": idPrefix + id, "author": author, "body": body, "label": spam ? 1 : 0]
                return String(decoding: try! JSONSerialization.data(withJSONObject: object, options: [.sortedKeys]), as: UTF8.self)
            }
            lines.append(line("f\(index)", "account\(index)", Self.flood, spam: true))
            lines.append(line("e\(index)", "reader\(index)", everyday[index % everyday.count], spam: false))
            lines.append(line("o\(index)", "viewer\(index)", "Comment \(index) on the plot, the second act dragged a little", spam: false))
        }
        return lines
    }

    func queuedIDs(_ queues: URL, _ queue: String) throws -> [String] {
        try records(queues, "\(queue).jsonl").compactMap { $0["id"] as? String }
    }

    func summary(_ url: URL) throws -> [String: Any] {
        try #require(try JSONSerialization.jsonObject(with: Data(contentsOf: url)) as? [String: Any])
    }

    @Test func everyCopyOfAFloodInAFileIsHeldTheFirstTooAndEverydayTextsAreNot() throws {
        let scratch = try scratchDirectory()
        let export = scratch.appendingPathComponent("export.jsonl")
        try writeLines(exportLines(floodCopies: 30), to: export)
        let queues = scratch.appendingPathComponent("queues")
        let summaryFile = scratch.appendingPathComponent("summary.json")
        let result = try Moderate.run(["run", "--queues", queues.path, "--summary-json", summaryFile.path, export.path])
        #expect(result.status == 0, "\(result.stderr)")
        #expect(try queuedIDs(queues, "hold") == (0..<30).map { "f\($0)" })
        // Thirty people writing "first!" or "wow" is not a flood.
        #expect(try queuedIDs(queues, "approve").filter { $0.hasPrefix("e") }.count == 30)
        #expect(try summary(summaryFile)["copies_counted"] as? String == "whole_input")
        #expect(!result.stderr.contains("as they came"))
    }

    @Test func copiesSpreadOverTwoFilesOneCompressedAreCountedTogether() throws {
        let scratch = try scratchDirectory()
        let first = scratch.appendingPathComponent("first.jsonl")
        try writeLines(exportLines(floodCopies: 15, idPrefix: "a"), to: first)
        let second = scratch.appendingPathComponent("second.jsonl")
        try writeLines(exportLines(floodCopies: 15, idPrefix: "b"), to: second)
        try gzipInPlace(second)
        let queues = scratch.appendingPathComponent("queues")
        let result = try Moderate.run(["run", "--queues", queues.path, first.path, second.path + ".gz"])
        #expect(result.status == 0, "\(result.stderr)")
        #expect(try queuedIDs(queues, "hold") == (0..<15).map { "af\($0)" } + (0..<15).map { "bf\($0)" })
    }

    /// A pipe cannot be read twice: its copies are counted as they come, the summary says so,
    /// and the first two copies of the flood are approved.
    @Test func onStandardInputCopiesAreCountedAsTheyComeAndTheSummarySaysSo() throws {
        let scratch = try scratchDirectory()
        let queues = scratch.appendingPathComponent("queues")
        let summaryFile = scratch.appendingPathComponent("summary.json")
        let input = Data((exportLines(floodCopies: 30).joined(separator: "\n") + "\n").utf8)
        let result = try Moderate.run(["run", "--queues", queues.path, "--summary-json", summaryFile.path, "-"], stdin: input)
        #expect(result.status == 0, "\(result.stderr)")
        #expect(try queuedIDs(queues, "hold") == (2..<30).map { "f\($0)" })
        #expect(try queuedIDs(queues, "approve").prefix(2) == ["f0", "e0"])
        #expect(result.stderr.contains("copies counted as they came"), "\(result.stderr)")
        #expect(try summary(summaryFile)["copies_counted"] as? String == "as_they_come")
    }

    /// `< export` makes standard input a regular file, but `-` is still read once only.
    @Test func aFileRedirectedToStandardInputIsCountedAsItComes() throws {
        let scratch = try scratchDirectory()
        let export = scratch.appendingPathComponent("export.jsonl")
        try writeLines(exportLines(floodCopies: 30), to: export)
        let queues = scratch.appendingPathComponent("queues")
        let process = Process()
        process.executableURL = Moderate.binary
        process.arguments = ["run", "--quiet", "--queues", queues.path, "-"]
        process.standardInput = try FileHandle(forReadingFrom: export)
        process.standardError = FileHandle.nullDevice
        try process.run()
        process.waitUntilExit()
        #expect(process.terminationStatus == 0)
        #expect(try queuedIDs(queues, "hold") == (2..<30).map { "f\($0)" })
        #expect(try queuedIDs(queues, "approve").count == 62)
    }

    @Test func oneJobAndTwoWriteTheSameQueues() throws {
        let scratch = try scratchDirectory()
        let export = scratch.appendingPathComponent("export.jsonl")
        // Enough comments for several chunks, the flood spread over all of them.
        try writeLines(exportLines(floodCopies: 1_500), to: export)
        var contents: [Int: [String: Data]] = [:]
        for jobs in [1, 2] {
            let queues = scratch.appendingPathComponent("queues-\(jobs)")
            let result = try Moderate.run(["run", "--jobs", "\(jobs)", "--queues", queues.path, export.path])
            #expect(result.status == 0, "\(result.stderr)")
            for name in ["approve", "hold", "reject"] {
                contents[jobs, default: [:]][name] = try Data(contentsOf: queues.appendingPathComponent("\(name).jsonl"))
            }
        }
        #expect(contents[1] == contents[2])
        #expect(try queuedIDs(scratch.appendingPathComponent("queues-2"), "hold").count == 1_500)
    }

    /// `eval`, `explain` and `diff` count a file's copies as `run` does.
    @Test func evalExplainAndDiffSeeTheWholeInputCountToo() throws {
        let scratch = try scratchDirectory()
        let export = scratch.appendingPathComponent("export.jsonl")
        try writeLines(exportLines(floodCopies: 30), to: export)

        let eval = try Moderate.run(["eval", "--json", "--label", "label", export.path])
        #expect(eval.status == 0, "\(eval.stderr)")
        let object = try #require(try JSONSerialization.jsonObject(with: Data(eval.stdout.utf8)) as? [String: Any])
        let decisions = try #require(object["decisions"] as? [String: [String: Int]])
        #expect(decisions["hold"]?["spam"] == 30)
        #expect(decisions["approve"]?["ham"] == 60)

        let explain = try Moderate.run(["explain", export.path])
        #expect(explain.status == 0, "\(explain.stderr)")
        let first = try #require(explain.stdout.components(separatedBy: "comment ").first { $0.hasPrefix("f0 ") })
        #expect(first.contains("spam.copies"), "\(first)")
        #expect(first.contains("decision: hold"), "\(first)")

        // Needing 31 copies, the rule lets all thirty go: counted as they came, only 28 would move.
        let fewer = try copyOfDefaultRules()
        try replace("signal: same_body\n    at_least: 3", with: "signal: same_body\n    at_least: 31",
                    in: fewer.appendingPathComponent("spam.yaml"))
        let diff = try Moderate.run(["diff", "--json", "--rules", fewer.path, "--against", "rules", export.path])
        #expect(diff.status == 0, "\(diff.stderr)")
        let changes = try #require(try JSONSerialization.jsonObject(with: Data(diff.stdout.utf8)) as? [String: Any])
        let groups = try #require(changes["groups"] as? [[String: Any]])
        let toApprove = try #require(groups.first { $0["from"] as? String == "hold" && $0["to"] as? String == "approve" })
        #expect(toApprove["count"] as? Int == 30)
    }
}
