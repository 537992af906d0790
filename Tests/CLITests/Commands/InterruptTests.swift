import Foundation
import Testing

/// SIGTERM and SIGINT stop `run` cleanly: what it read is committed, the summary says
/// `interrupted`, the process ends by the signal, and a rerun queues the rest exactly once.
@Suite(.serialized) struct InterruptTests {
    func summary(_ url: URL) throws -> [String: Any] {
        let data = try #require(FileManager.default.contents(atPath: url.path), "no summary JSON written")
        return try #require(try JSONSerialization.jsonObject(with: data) as? [String: Any])
    }

    func queuedCount(_ queues: URL) throws -> Int {
        try ["approve.jsonl", "hold.jsonl", "reject.jsonl"].reduce(0) { $0 + (try records(queues, $1)).count }
    }

    @Test(arguments: [SIGTERM, SIGINT])
    func aStoppedRunCommitsWhatItReadWritesItsSummaryAndEndsByTheSignal(signal: Int32) throws {
        let scratch = try scratchDirectory()
        let export = scratch.appendingPathComponent("export.jsonl")
        let (ids, _) = try writeExport(count: 20_000, to: export)
        let queues = scratch.appendingPathComponent("queues")
        let summaryFile = scratch.appendingPathComponent("summary.json")
        let process = try runInBackground(["run", "--queues", queues.path, "--summary-json", summaryFile.path, export.path])
        // Stop it once its first batch is committed, well before the end of the input.
        let deadline = Date().addingTimeInterval(120)
        while try process.isRunning && Date() < deadline && queuedCount(queues) == 0 { usleep(20_000) }
        try #require(process.isRunning, "the run ended before it could be stopped")
        kill(process.processIdentifier, signal)
        process.waitUntilExit()

        #expect(process.terminationReason == .uncaughtSignal)
        #expect(process.terminationStatus == signal)
        let report = try summary(summaryFile)
        #expect(report["status"] as? String == "interrupted")
        #expect(report["exit_code"] as? Int == Int(128 + signal))
        let queued = try queuedCount(queues)
        // Everything counted was committed: the summary and the queues agree.
        #expect(report["comments"] as? Int == queued)
        #expect(queued > 0 && queued < ids.count, "\(queued)")

        let rerun = try Moderate.run(["run", "--queues", queues.path, export.path])
        #expect([0, 1].contains(rerun.status), "\(rerun.stderr)")
        let seen = try queuedIDs(queues)
        #expect(Set(seen.keys) == ids)
        #expect(seen.values.allSatisfy { $0 == 1 })
    }

    @Test func aRunWaitingForInputThatNeverComesStillWritesItsSummary() throws {
        let scratch = try scratchDirectory()
        let summaryFile = scratch.appendingPathComponent("summary.json")
        let process = Process()
        process.executableURL = Moderate.binary
        process.arguments = ["run", "--queues", scratch.appendingPathComponent("queues").path,
                             "--summary-json", summaryFile.path, "-"]
        process.currentDirectoryURL = Moderate.packageRoot
        let input = Pipe()
        process.standardInput = input
        process.standardError = FileHandle.nullDevice
        try process.run()
        // One comment, then the pipe stays open and silent, like a stalled exporter.
        input.fileHandleForWriting.write(Data((commentLine(id: "1", body: "hello") + "\n").utf8))
        usleep(500_000)
        let stopped = Date()
        kill(process.processIdentifier, SIGTERM)
        process.waitUntilExit()
        #expect(Date().timeIntervalSince(stopped) < 30)
        #expect(process.terminationReason == .uncaughtSignal && process.terminationStatus == SIGTERM)
        let report = try summary(summaryFile)
        #expect(report["status"] as? String == "interrupted")
        #expect((report["message"] as? String)?.contains("waiting for input") == true)
        try input.fileHandleForWriting.close()
    }
}
