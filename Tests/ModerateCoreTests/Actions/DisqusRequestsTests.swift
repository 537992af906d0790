import Foundation
@testable import ModerateCore
import Testing

@Suite struct DisqusRequestsTests {
    private func plan() throws -> ActionPlan {
        let queues = try QueueDirectory()
        for id in 9001...9003 { try queues.append(.approve, id: "\(id)", disqusSpam: false) }
        try queues.append(.reject, id: "9010", disqusSpam: false)
        return ActionPlan(state: try queues.state(), target: .disqus, emitted: [:])
    }

    private func requests(_ bytes: [UInt8]) throws -> [[String: Any]] {
        try bytes.split(separator: 0x0A).map { try #require(try JSONSerialization.jsonObject(with: Data($0)) as? [String: Any]) }
    }

    @Test func oneRequestPerEndpointAndBatchWithPostRepeated() throws {
        let lines = try requests(DisqusRequests.render(try plan(), batchSize: 2))
        #expect(lines.map { $0["endpoint"] as? String } == ["posts/approve", "posts/approve", "posts/spam"])
        #expect(lines.map { $0["post"] as? [String] } == [["9001", "9002"], ["9003"], ["9010"]])
        #expect(lines[0]["form"] as? String == "post=9001&post=9002")
        #expect(lines[2]["url"] as? String == "https://disqus.com/api/3.0/posts/spam.json")
    }

    @Test func rejectCanRemoveInstead() throws {
        let lines = try requests(DisqusRequests.render(try plan(), rejectWith: .remove))
        #expect(lines.map { $0["endpoint"] as? String } == ["posts/approve", "posts/remove"])
        #expect(lines[1]["url"] as? String == "https://disqus.com/api/3.0/posts/remove.json")
    }
}
