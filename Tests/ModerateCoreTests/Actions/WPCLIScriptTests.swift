import Foundation
@testable import ModerateCore
import Testing

@Suite struct WPCLIScriptTests {
    @Test func eachActionIsOneCommandPerBatchOfIDs() throws {
        let queues = try QueueDirectory()
        for id in 1...5 { try queues.append(.approve, id: "\(id)", wpApproved: "0") }
        try queues.append(.hold, id: "6", wpApproved: "1")
        try queues.append(.reject, id: "7", wpApproved: "0")
        let plan = ActionPlan(state: try queues.state(), target: .wpCLI, emitted: [:])
        let script = String(decoding: WPCLIScript.render(plan, batchSize: 2), as: UTF8.self)
        let lines = script.split(separator: "\n").map(String.init)
        #expect(lines.first == "#!/bin/sh")
        #expect(lines.contains("set -eu"))
        #expect(lines.filter { $0.hasPrefix("$WP ") } == [
            "$WP comment approve 1 2", "$WP comment approve 3 4", "$WP comment approve 5",
            "$WP comment unapprove 6", "$WP comment spam 7",
        ])
    }

    @Test func anEmptyPlanIsAScriptThatDoesNothing() throws {
        let plan = ActionPlan(state: try QueueDirectory().state(), target: .wpCLI, emitted: [:])
        let script = String(decoding: WPCLIScript.render(plan), as: UTF8.self)
        #expect(script.hasPrefix("#!/bin/sh\n"))
        #expect(!script.contains("$WP comment"))
    }
}
