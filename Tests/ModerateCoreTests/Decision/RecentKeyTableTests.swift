@testable import ModerateCore
import Testing

@Suite struct RecentKeyTableTests {
    /// Meets `key` once, then `others` distinct other keys (numbered from 1,000).
    func table(meeting key: UInt64, thenOthers others: Int, generationSize: Int) -> RecentKeyTable<Int> {
        var table = RecentKeyTable<Int>(generationSize: generationSize)
        table.update(key, initial: 7) { _, _ in }
        for other in 0..<UInt64(others) { table.update(1_000 + other, initial: 0) { _, _ in } }
        return table
    }

    @Test func aKeyIsRememberedWhileFewerThanAGenerationOfOthersCame() {
        for others in 0..<8 {
            #expect(table(meeting: 1, thenOthers: others, generationSize: 8)[1] == 7, "after \(others) others")
        }
    }

    @Test func aKeyIsForgottenAfterTwoGenerationsOfOthers() {
        #expect(table(meeting: 1, thenOthers: 16, generationSize: 8)[1] == nil)
        #expect(table(meeting: 1, thenOthers: 16, generationSize: 8).count <= 16)
    }

    @Test func meetingAKeyAgainKeepsItAndItsValue() {
        var table = RecentKeyTable<Int>(generationSize: 4)
        var sawNew: [Bool] = []
        for round in 0..<20 {
            // Key 1 comes back after every three others: never forgotten, counted each time.
            table.update(1, initial: 0) { count, isNew in count += 1; sawNew.append(isNew) }
            for other in 0..<3 { table.update(UInt64(100 + round * 3 + other), initial: 0) { _, _ in } }
        }
        #expect(table[1] == 20)
        #expect(sawNew == [true] + Array(repeating: false, count: 19))
        #expect(table.count <= 8)
    }
}
