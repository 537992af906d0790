import Foundation
import Testing

@Suite(.serialized) struct ParallelRunTests {
    @Test func anyNumberOfJobsWritesTheSameQueuesInInputOrder() throws {
        let scratch = try scratchDirectory()
        let export = scratch.appendingPathComponent("export.jsonl")
        _ = try writeExport(count: 6_000, to: export)
        var contents: [Int: [String: Data]] = [:]
        for jobs in [1, 2, 5] {
            let queues = scratch.appendingPathComponent("queues-\(jobs)")
            let result = try Moderate.run(["run", "--jobs", "\(jobs)", "--queues", queues.path, export.path,
                                           "fixtures/obfuscated-spam.jsonl", "fixtures/film-blog.jsonl"])
            #expect(result.status == 1, "\(result.stderr)")  // the export's bad lines
            for name in ["approve", "hold", "reject", "errors"] {
                contents[jobs, default: [:]][name] = try Data(contentsOf: queues.appendingPathComponent("\(name).jsonl"))
            }
        }
        #expect(contents[1] == contents[2])
        #expect(contents[1] == contents[5])
        // Input order: ids come out in the order they went in.
        let approved = try records(scratch.appendingPathComponent("queues-5"), "approve.jsonl").compactMap { $0["id"] as? String }
        let exportIDs = approved.filter { $0.hasPrefix("k") }.map { Int($0.dropFirst())! }
        #expect(exportIDs == exportIDs.sorted())
    }

    @Test func jobsMustBeAPositiveNumber() throws {
        #expect(try Moderate.run(["run", "--jobs", "0", "fixtures/film-blog.jsonl"]).status == 64)
    }
}
