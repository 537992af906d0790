import Foundation
@testable import ModerateCore
import Testing

@Suite struct ActionPlanTests {
    /// WordPress comments in every combination of site status and queue that matters.
    private func wordPressQueues() throws -> QueueDirectory {
        let queues = try QueueDirectory()
        try queues.append(.approve, id: "1", wpApproved: "1")       // already approved: left out
        try queues.append(.approve, id: "2", wpApproved: "0")       // pending, approve
        try queues.append(.hold, id: "3", wpApproved: "1")          // approved, held: unapprove
        try queues.append(.reject, id: "4", wpApproved: "spam")     // already spam
        try queues.append(.reject, id: "5", wpApproved: "1")        // approved, rejected: spam
        try queues.append(.approve, id: "6", wpApproved: "trash")   // trashed on the site, the run approved
        try queues.append(.hold, id: "7", wpApproved: "trash")
        try queues.decide("7", from: .hold, to: .approve)           // a person approved it
        try queues.append(.approve, id: "c-8")                      // not from WordPress
        return queues
    }

    @Test func wordPressActionsLeaveOutWhatTheSiteAlreadyDoes() throws {
        let plan = ActionPlan(state: try wordPressQueues().state(), target: .wpCLI, emitted: [:])
        #expect(plan.items.map { "\($0.siteID):\($0.action)" } == ["2:approve", "3:hold", "7:approve", "5:reject"])
        #expect(plan.leftOut == [.alreadyOnSite: 2, .deletedOnSite: 1, .otherPlatform: 1])
    }

    @Test func csvHasEveryComment() throws {
        let plan = ActionPlan(state: try wordPressQueues().state(), target: .csv, emitted: nil)
        #expect(plan.items.map(\.id) == ["1", "2", "6", "c-8", "3", "7", "4", "5"])
        #expect(plan.leftOut.isEmpty)
    }

    @Test func idsThatAreNotWordPressIdsAreRefusedAndKeptForTheWarning() throws {
        let queues = try QueueDirectory()
        let hostile = ["12$(touch pwned)", "`id`", "13;rm -rf /", "14\nwp db drop", "0", "007", "",
                       "123456789012345678901", "15 16", "١٢", "-3", "'17'"]
        for (number, id) in hostile.enumerated() {
            try queues.append(.reject, id: "c\(number)", siteID: id, wpApproved: "0")
        }
        try queues.append(.reject, id: "ok", siteID: "18446744073709551615", wpApproved: "0")
        let plan = ActionPlan(state: try queues.state(), target: .wpCLI, emitted: [:])
        #expect(plan.items.map(\.siteID) == ["18446744073709551615"])
        #expect(plan.leftOut == [.invalidID: hostile.count])
        #expect(plan.invalidIDs == hostile)
    }

    @Test func anActionEmittedBeforeIsLeftOutUntilTheStateChanges() throws {
        let queues = try wordPressQueues()
        let emitted: [String: Action] = ["2": .approve, "3": .approve, "5": .reject]
        let plan = ActionPlan(state: try queues.state(), target: .wpCLI, emitted: emitted)
        // 3 was emitted as approve but is held now: emitted again, as what it is now.
        #expect(plan.items.map { "\($0.siteID):\($0.action)" } == ["3:hold", "7:approve"])
        #expect(plan.leftOut[.alreadyEmitted] == 2)
        // --all (no ledger) emits them all.
        #expect(ActionPlan(state: try queues.state(), target: .wpCLI, emitted: nil).items.count == 4)
    }

    @Test func sinceComparesTheDecisionTimeOrTheCommentsDate() throws {
        let queues = try QueueDirectory()
        try queues.append(.approve, id: "1", wpApproved: "0", date: "2024-01-01 00:00:00")    // old
        try queues.append(.approve, id: "2", wpApproved: "0", date: "2026-12-02 00:00:00")    // new
        try queues.append(.approve, id: "3", wpApproved: "0")                                 // undated: kept
        try queues.append(.hold, id: "4", wpApproved: "0", date: "2024-01-01 00:00:00")       // old, decided since
        try queues.decide("4", from: .hold, to: .reject, when: "2026-12-03T10:00:00Z")
        try queues.append(.hold, id: "5", wpApproved: "1", date: "2024-01-01 00:00:00")       // decided before
        try queues.decide("5", from: .hold, to: .reject, when: "2026-11-30T10:00:00Z")
        let since = try #require(QueueTime.parse("2026-12-01T00:00:00Z"))
        let plan = ActionPlan(state: try queues.state(), target: .wpCLI, since: since, emitted: [:])
        #expect(plan.items.map(\.id) == ["2", "3", "4"])
        #expect(plan.leftOut == [.beforeSince: 2])
    }

    @Test func disqusHasNoHoldAndKnowsSpam() throws {
        let queues = try QueueDirectory()
        try queues.append(.approve, id: "9001", disqusSpam: false)
        try queues.append(.hold, id: "9002", disqusSpam: false)
        try queues.append(.reject, id: "9003", disqusSpam: true)
        try queues.append(.reject, id: "9004", disqusSpam: false)
        try queues.append(.reject, id: "9005", disqusSpam: false, disqusDeleted: true)
        try queues.append(.approve, id: "501", wpApproved: "0")
        let plan = ActionPlan(state: try queues.state(), target: .disqus, emitted: [:])
        #expect(plan.items.map { "\($0.siteID):\($0.action)" } == ["9001:approve", "9004:reject"])
        #expect(plan.leftOut == [.noDisqusHold: 1, .alreadyOnSite: 1, .deletedOnSite: 1, .otherPlatform: 1])
    }

    @Test(arguments: [("1", true), ("42", true), ("18446744073709551615", true), ("0", false), ("042", false),
                      ("", false), ("4 2", false), ("4\n2", false), ("+4", false), ("4e2", false), ("٤", false)])
    func platformIDsAreDigitsOnly(_ text: String, _ valid: Bool) {
        #expect(ActionPlan.isPlatformID(text) == valid)
    }
}
