import Foundation
@testable import moderate
import Testing

@Suite struct ProgressLineTests {
    @Test func theLineShowsCountRatePercentageAndTimeLeft() {
        #expect(ProgressLine.text(done: 1000, elapsed: 2, fraction: 0.25) == "moderate: 1000 comments, 500/s, 25%, 6s left")
        #expect(ProgressLine.text(done: 1000, elapsed: 2, fraction: nil) == "moderate: 1000 comments, 500/s")
        #expect(ProgressLine.text(done: 10, elapsed: 100, fraction: 0.01) == "moderate: 10 comments, 0/s, 1%, 2h 45m left")
        #expect(ProgressLine.duration(125) == "2m 5s")
    }
}
