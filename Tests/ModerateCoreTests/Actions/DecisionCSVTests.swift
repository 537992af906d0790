import Foundation
@testable import ModerateCore
import Testing

@Suite struct DecisionCSVTests {
    @Test func idsAreQuotedAsRFC4180Says() throws {
        let queues = try QueueDirectory()
        try queues.append(.approve, id: "plain")
        try queues.append(.hold, id: "a,b")
        try queues.append(.reject, id: "say \"hi\"")
        try queues.append(.reject, id: "two\r\nlines")
        let plan = ActionPlan(state: try queues.state(), target: .csv, emitted: nil)
        let text = String(decoding: DecisionCSV.render(plan), as: UTF8.self)
        #expect(text == "id,decision\r\nplain,approve\r\n\"a,b\",hold\r\n\"say \"\"hi\"\"\",reject\r\n\"two\r\nlines\",reject\r\n")
    }
}
