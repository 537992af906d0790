import Foundation
@testable import ModerateCore
import Testing

@Suite struct QueueTimeTests {
    @Test func theFormsExportsWriteAreReadAsUTC() throws {
        let noon = try #require(QueueTime.parse("2024-02-12T12:00:00Z"))
        #expect(QueueTime.parse("2024-02-12T14:00:00+02:00") == noon)
        #expect(QueueTime.parse("2024-02-12T12:00:00.000Z") == noon)
        #expect(QueueTime.parse("2024-02-12 12:00:00") == noon)
        #expect(QueueTime.parse("2024-02-12T12:00:00") == noon)
        #expect(QueueTime.parse("2024-02-12") == noon.addingTimeInterval(-12 * 3600))
        #expect(QueueTime.parse("yesterday") == nil)
        #expect(QueueTime.parse("") == nil)
    }
}
