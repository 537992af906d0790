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
        // Sizes, not lines: a line being appended cannot be parsed yet.
        func queuedBytes() -> Int {
            ["approve.jsonl", "hold.jsonl", "reject.jsonl"].reduce(0) { total, name in
                total + ((try? FileManager.default.attributesOfItem(atPath: queues.appendingPathComponent(name).path)[.size] as? Int) ?? 0)
            }
        }
        while process.isRunning && Date() < deadline && queuedBytes() == 0 { usleep(20_000) }
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
        try expectEachQueuedOnce(ids, in: queues)
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
        // One comment, then the pipe stays open and silent, like a stalled exporter. The signal
        // is sent once the run has opened its queues and had time to read that comment, so
        // that it is blocked reading the pipe (a signal that comes earlier stops it at once).
        input.fileHandleForWriting.write(Data((commentLine(id: "1", body: "hello") + "\n").utf8))
        let lock = scratch.appendingPathComponent("queues/.moderate/lock")
        let deadline = Date().addingTimeInterval(60)
        while !FileManager.default.fileExists(atPath: lock.path) && Date() < deadline { usleep(20_000) }
        usleep(1_000_000)
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

    /// A run told to `--wait` for another run's lock, and stopped while it waits, says so
    /// (not "waiting for input"), and has queued nothing.
    @Test func aRunStoppedWhileWaitingForTheLockSaysSo() throws {
        let scratch = try scratchDirectory()
        let queues = scratch.appendingPathComponent("queues")
        // The first run holds the lock while it waits on a pipe that has gone silent.
        let holder = Process()
        holder.executableURL = Moderate.binary
        holder.arguments = ["run", "--queues", queues.path, "-"]
        holder.currentDirectoryURL = Moderate.packageRoot
        let input = Pipe()
        holder.standardInput = input
        holder.standardError = FileHandle.nullDevice
        try holder.run()
        defer { kill(holder.processIdentifier, SIGKILL); holder.waitUntilExit() }
        // One comment gets it past telling the format; then it holds the lock, waiting for more.
        input.fileHandleForWriting.write(Data((commentLine(id: "1", body: "hello") + "\n").utf8))
        let lock = queues.appendingPathComponent(".moderate/lock")
        let deadline = Date().addingTimeInterval(30)
        while !FileManager.default.fileExists(atPath: lock.path) && Date() < deadline { usleep(20_000) }
        usleep(300_000)

        let summaryFile = scratch.appendingPathComponent("summary.json")
        let waiter = try runInBackground(["run", "--wait", "--queues", queues.path, "--summary-json", summaryFile.path, "/dev/null"])
        usleep(500_000)
        try #require(waiter.isRunning, "the second run did not wait for the lock")
        kill(waiter.processIdentifier, SIGTERM)
        waiter.waitUntilExit()
        #expect(waiter.terminationReason == .uncaughtSignal && waiter.terminationStatus == SIGTERM)
        let report = try summary(summaryFile)
        #expect(report["status"] as? String == "interrupted")
        #expect((report["message"] as? String)?.contains("waiting for the queue lock") == true, "\(report)")
        try input.fileHandleForWriting.close()
    }

    /// A stop signal that comes while the run is still starting (loading rules, opening its
    /// input) is not lost: the run ends by it, whatever moment it came at. (When the handler
    /// was a dispatch signal source, which registers late, a signal in between was ignored and
    /// a run on a silent pipe never ended.)
    @Test(arguments: [0, 30_000, 100_000, 300_000])
    func aSignalWhileStartingIsNotLost(delayMicroseconds: UInt32) throws {
        let scratch = try scratchDirectory()
        let process = Process()
        process.executableURL = Moderate.binary
        process.arguments = ["run", "--queues", scratch.appendingPathComponent("queues").path, "-"]
        process.currentDirectoryURL = Moderate.packageRoot
        let input = Pipe()  // never written to: the run waits on it
        process.standardInput = input
        process.standardError = FileHandle.nullDevice
        try process.run()
        usleep(delayMicroseconds)
        kill(process.processIdentifier, SIGTERM)
        // Blocked on the silent pipe, it ends 10 s after the signal (StopSignals.gracePeriod).
        let deadline = Date().addingTimeInterval(90)
        while process.isRunning && Date() < deadline { usleep(50_000) }
        let ended = !process.isRunning
        if !ended { kill(process.processIdentifier, SIGKILL) }
        process.waitUntilExit()
        #expect(ended, "the run did not end after SIGTERM")
        #expect(process.terminationReason == .uncaughtSignal && process.terminationStatus == SIGTERM)
        try input.fileHandleForWriting.close()
    }
}
