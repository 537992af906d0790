import Foundation
import ModerateCore
import Testing

/// `moderate run --metrics FILE`, run as cron does.
@Suite(.serialized) struct RunMetricsTests {
    private func metrics(_ path: URL) throws -> [String: [ExposedSample]] {
        let parsed = try parseExposition(try String(contentsOf: path, encoding: .utf8))
        for sample in parsed.samples { #expect(parsed.type[sample.name] != nil && parsed.help[sample.name] != nil, "\(sample.name)") }
        return Dictionary(grouping: parsed.samples, by: \.name)
    }

    @Test func theRunsCountsDurationAndHeldBacklogAreWritten() throws {
        let scratch = try scratchDirectory()
        let queues = scratch.appendingPathComponent("queues"), file = scratch.appendingPathComponent("moderate.prom")
        let result = try Moderate.run(["run", "--quiet", "--queues", queues.path, "--metrics", file.path, "fixtures/film-blog.jsonl"])
        #expect(result.status == 0, "\(result.stderr)")
        var samples = try metrics(file)
        for queue in ["approve", "hold", "reject"] {
            let count = try records(queues, "\(queue).jsonl").count
            #expect(samples["moderate_run_comments"]?.first { $0.labels["queue"] == queue }?.value == Double(count), "\(queue)")
        }
        let held = try records(queues, "hold.jsonl").compactMap { ($0["moderation"] as? [String: Any])?["id"] as? String }
        #expect(held.count >= 2)
        #expect(samples["moderate_hold_backlog"]?.first?.value == Double(held.count))
        #expect(samples["moderate_run_input_errors"]?.first?.value == 0)
        #expect(samples["moderate_run_success"]?.first?.value == 1)
        #expect((samples["moderate_run_duration_seconds"]?.first?.value ?? -1) >= 0)
        let lastSuccess = try #require(samples["moderate_run_last_success_timestamp_seconds"]?.first?.value)
        #expect(abs(lastSuccess - Date().timeIntervalSince1970) < 120)
        #expect(try FileManager.default.attributesOfItem(atPath: file.path)[.posixPermissions] as? Int == 0o600)

        // Two held comments decided by a person: the backlog drops by two on the next run.
        let decisions = queues.appendingPathComponent(DecisionLog.fileName)
        let lines = [HumanDecision(id: held[0], from: .hold, to: .approve, who: "ana", when: HumanDecision.timestamp()),
                     HumanDecision(id: held[1], from: .hold, to: .reject, who: "ana", when: HumanDecision.timestamp())]
        try Data(lines.flatMap(\.jsonLine)).write(to: decisions)
        #expect(try Moderate.run(["run", "--quiet", "--queues", queues.path, "--metrics", file.path, "fixtures/film-blog.jsonl"]).status == 0)
        samples = try metrics(file)
        #expect(samples["moderate_hold_backlog"]?.first?.value == Double(held.count - 2))
        #expect(samples["moderate_run_comments"]?.allSatisfy { $0.value == 0 } == true)
        #expect(samples["moderate_run_already_queued"]?.first?.value == Double(try String(contentsOfFile: "fixtures/film-blog.jsonl", encoding: .utf8).split(separator: "\n").count))
    }

    @Test func aFailedRunSaysSoAndKeepsTheLastSuccessTime() throws {
        let scratch = try scratchDirectory()
        let queues = scratch.appendingPathComponent("queues"), file = scratch.appendingPathComponent("moderate.prom")
        #expect(try Moderate.run(["run", "--quiet", "--queues", queues.path, "--metrics", file.path, "fixtures/film-blog.jsonl"]).status == 0)
        let lastSuccess = try #require(try metrics(file)["moderate_run_last_success_timestamp_seconds"]?.first?.value)
        let missing = try Moderate.run(["run", "--quiet", "--queues", queues.path, "--metrics", file.path, scratch.appendingPathComponent("nothing.jsonl").path])
        #expect(missing.status == 66)
        let samples = try metrics(file)
        #expect(samples["moderate_run_success"]?.first?.value == 0)
        #expect(samples["moderate_run_exit_code"]?.first?.value == 66)
        #expect(samples["moderate_run_last_success_timestamp_seconds"]?.first?.value == lastSuccess)
        #expect(samples["moderate_run_comments"] == nil)
    }

    @Test func aLinkPlantedAtTheMetricsPathIsReplacedNotWrittenThrough() throws {
        let scratch = try scratchDirectory()
        let victim = scratch.appendingPathComponent("victim")
        try Data("keep\n".utf8).write(to: victim)
        let file = scratch.appendingPathComponent("moderate.prom")
        try FileManager.default.createSymbolicLink(at: file, withDestinationURL: victim)
        let result = try Moderate.run(["run", "--quiet", "--queues", scratch.appendingPathComponent("queues").path,
                                       "--metrics", file.path, "fixtures/film-blog.jsonl"])
        #expect(result.status == 0, "\(result.stderr)")
        #expect(try String(contentsOf: victim, encoding: .utf8) == "keep\n")
        #expect(try metrics(file)["moderate_run_success"]?.first?.value == 1)
    }
}
