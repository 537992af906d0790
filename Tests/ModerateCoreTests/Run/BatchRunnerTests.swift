import Foundation
@testable import ModerateCore
import Testing

/// `BatchRunner` with copies counted ahead (`BodyCopyCounts`): every copy of a flood is
/// caught, and a run stopped part way and run again routes the flood as one run does.
@Suite struct BatchRunnerTests {
    /// Harmless words, but thirty accounts post them: a flood, which `spam.copies` holds.
    static let flood = "The river festival this weekend was the best one we have had in years"

    /// 150 comments, every fifth a copy of the flood by another account.
    func writeExport() throws -> String {
        let lines = (0..<150).map { index -> String in
            let body = index % 5 == 0 ? Self.flood : "Comment \(index): I liked the ending of the film \(String(repeating: "a", count: index))"
            let object: [String: Any] = ["id": "c\(index)", "author": "account\(index)", "body": body]
            return String(decoding: try! JSONSerialization.data(withJSONObject: object, options: [.sortedKeys]), as: UTF8.self)
        }
        return try scratchFile("export.jsonl", Array((lines.joined(separator: "\n") + "\n").utf8))
    }

    func defaultRules() throws -> RuleSet {
        try #require(RuleLoader.load(directory: defaultRulesDirectory).ruleSet)
    }

    func scratchQueues() -> String {
        FileManager.default.temporaryDirectory.appendingPathComponent("moderate-queues-\(UUID().uuidString)").path
    }

    /// One run of `export` into `queues`, its copies counted ahead as `moderate run` counts
    /// them; `stopAfterFirstChunk` stops it as SIGTERM would, after its first chunk.
    func run(_ export: String, into queues: String, stopAfterFirstChunk: Bool = false) throws -> RunSummary {
        let ruleSet = try defaultRules()
        let reader = try CommentReaders.open(InputSource(path: export))
        let copies = try BodyCopyCounts.counting([reader], format: nil, options: ReadOptions())
        let runner = BatchRunner(ruleSet: ruleSet, store: try QueueStore(directory: queues), jobs: 1, wholeInputCopies: copies)
        runner.chunkBound = ChunkBound(records: 10)
        runner.commitRecords = 10
        if stopAfterFirstChunk {
            let stop = StopRequest()
            runner.stopRequest = stop
            runner.progress = { _, _ in stop.request() }
        }
        return try runner.run([reader])
    }

    func queueFiles(_ queues: String) -> [String: Data] {
        var files: [String: Data] = [:]
        for name in ["approve.jsonl", "hold.jsonl", "reject.jsonl"] {
            files[name] = FileManager.default.contents(atPath: queues + "/" + name) ?? Data()
        }
        return files
    }

    func ids(in queueFile: Data) throws -> [String] {
        try queueFile.split(separator: 0x0A).map { line in
            let object = try #require(try JSONSerialization.jsonObject(with: Data(line)) as? [String: Any])
            return try #require(object["id"] as? String)
        }
    }

    @Test func everyCopyOfAFloodIsHeldTheFirstToo() throws {
        let queues = scratchQueues()
        let summary = try run(try writeExport(), into: queues)
        #expect(summary.copies == .wholeInput)
        let held = try ids(in: queueFiles(queues)["hold.jsonl"]!)
        #expect(held == stride(from: 0, to: 150, by: 5).map { "c\($0)" })
        #expect(summary.counts[.approve] == 120)
    }

    @Test func aStoppedRunAndItsRerunRouteAFloodAsOneRunDoes() throws {
        let export = try writeExport()
        let once = scratchQueues()
        _ = try run(export, into: once)

        let twice = scratchQueues()
        let first = try run(export, into: twice, stopAfterFirstChunk: true)
        #expect(first.interrupted)
        #expect(first.comments > 0 && first.comments < 150, "\(first.comments)")
        let rest = try run(export, into: twice)
        #expect(rest.alreadyQueued == first.comments)
        #expect(first.comments + rest.comments == 150)
        #expect(queueFiles(twice) == queueFiles(once))
    }
}
