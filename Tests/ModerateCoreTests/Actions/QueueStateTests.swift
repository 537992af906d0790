import Foundation
@testable import ModerateCore
import Testing

@Suite struct QueueStateTests {
    @Test func aPersonsLastDecisionOutranksTheQueueTheRunChose() throws {
        let queues = try QueueDirectory()
        try queues.append(.approve, id: "a")
        try queues.append(.hold, id: "h1")
        try queues.append(.hold, id: "h2")
        try queues.append(.hold, id: "h3")
        try queues.append(.reject, id: "r")
        // h1 approved by a person (its record appended to approve, as review does); h2
        // rejected and then undone; h3 untouched.
        try queues.decide("h1", from: .hold, to: .approve)
        try queues.append(.approve, id: "h1", reviewed: true)
        try queues.decide("h2", from: .hold, to: .reject)
        try queues.append(.reject, id: "h2", reviewed: true)
        try queues.decide("h2", from: .reject, to: .hold, undo: true)
        try queues.append(.hold, id: "h2", reviewed: true)
        let state = try queues.state()
        #expect(state.ids == ["a", "h1", "h2", "h3", "r"])
        #expect(state.entries.mapValues(\.queue) == ["a": .approve, "h1": .approve, "h2": .hold, "h3": .hold, "r": .reject])
        #expect(state.entries["h1"]?.decidedByPerson == true)
        // An undo hands the comment back to review: held, and no longer a person's decision.
        #expect(state.entries["h2"]?.decidedByPerson == false)
        #expect(state.entries["h3"]?.decidedByPerson == false)
        #expect(state.heldBacklog == 2)
        #expect(try queues.state([.hold]).heldBacklog == 2)
    }

    @Test func reviewedRecordsInTwoQueuesWithoutADecisionAreHeld() throws {
        let queues = try QueueDirectory()
        try queues.append(.hold, id: "x")
        try queues.append(.approve, id: "x", reviewed: true)
        try queues.append(.reject, id: "x", reviewed: true)
        try queues.append(.hold, id: "y")
        try queues.append(.reject, id: "y", reviewed: true)
        let state = try queues.state()
        #expect(state.entries["x"]?.queue == .hold)
        #expect(state.conflictingIDs == ["x"])
        #expect(state.entries["y"]?.queue == .reject)
        #expect(state.entries["y"]?.decidedByPerson == true)
    }

    @Test func theHeldBacklogReadFromHoldAloneLeavesOutWhatPeopleDecided() throws {
        let queues = try QueueDirectory()
        for id in ["h1", "h2", "h3", "h4"] { try queues.append(.hold, id: id) }
        try queues.append(.approve, id: "a")
        try queues.decide("h1", from: .hold, to: .approve)
        try queues.decide("h2", from: .hold, to: .reject)
        let held = try queues.state([.hold])
        #expect(held.heldBacklog == 2)
        #expect(Set(held.ids) == ["h3", "h4"])
    }

    @Test func platformFieldsAndDatesComeFromTheRecord() throws {
        let queues = try QueueDirectory()
        try queues.append(.approve, id: "c1", siteID: "501", wpApproved: "0", date: "2024-02-12 10:00:00")
        try queues.append(.reject, id: "c2", siteID: "9003", disqusSpam: true)
        try queues.append(.hold, id: "c3")
        let state = try queues.state()
        #expect(state.entries["c1"]?.site == .wordpress(approved: "0"))
        #expect(state.entries["c1"]?.platformID == "501")
        #expect(state.entries["c1"]?.time == "2024-02-12 10:00:00")
        #expect(state.entries["c2"]?.site == .disqus(isSpam: true, isDeleted: false))
        #expect(state.entries["c3"]?.site == .unknown)
    }

    @Test func linesThatAreNotRecordsAreCountedAndLeftOut() throws {
        let queues = try QueueDirectory()
        try queues.append(.hold, id: "ok")
        try queues.appendLine(Data("not json\n{\"id\":\"no moderation\"}\n".utf8), to: "hold.jsonl")
        let state = try queues.state()
        #expect(state.ids == ["ok"])
        #expect(state.unreadableLines == ["hold.jsonl": 2])
    }

    @Test func aQueueFileThatIsALinkIsRefused() throws {
        let queues = try QueueDirectory()
        let elsewhere = queues.path + "-elsewhere"
        try Data("{\"moderation\":{\"id\":\"secret\"}}\n".utf8).write(to: URL(fileURLWithPath: elsewhere))
        try FileManager.default.createSymbolicLink(atPath: queues.path + "/approve.jsonl", withDestinationPath: elsewhere)
        #expect(throws: (any Error).self) { try queues.state() }
    }
}
