@testable import ModerateCore
import Testing

@Suite struct KeyIndexTests {
    /// A small deterministic generator (SplitMix64), so a failure can be replayed.
    struct Generator {
        var state: UInt64
        mutating func next() -> UInt64 {
            state &+= 0x9E37_79B9_7F4A_7C15
            var z = state
            z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
            z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
            return z ^ (z >> 31)
        }
    }

    @Test func anEmptyIndexHoldsNothing() {
        var index = KeyIndex()
        #expect(index.count == 0)
        #expect(index.isEmpty)
        #expect(!index.contains(RecordKey(high: 0, low: 0)))
        #expect(!index.contains(RecordKey(high: .max, low: .max)))
        let sorted = Array(index.sorted())
        #expect(sorted.isEmpty)
    }

    @Test func insertsAreFoundBeforeAndAfterAMerge() {
        var index = KeyIndex(blockKeys: 4, minimumRecentLimit: 3)
        let keys = (0..<10).map { RecordKey.comment(id: "c\($0)") }
        for (number, key) in keys.enumerated() {
            #expect(!index.contains(key))
            let inserted = index.insert(key)
            #expect(inserted)
            #expect(index.count == number + 1)
            for earlier in keys[...number] { #expect(index.contains(earlier)) }
            for later in keys[(number + 1)...] { #expect(!index.contains(later)) }
        }
    }

    @Test func aDuplicateIsNotCountedTwiceWhereverTheFirstCopyIs() {
        var index = KeyIndex(blockKeys: 2, minimumRecentLimit: 4)
        let keys = (0..<9).map { RecordKey.comment(id: "d\($0)") }
        for key in keys { index.insert(key) }
        // Keys 0..<8 went through two merges into the blocks; key 8 is in the recent set.
        for key in keys {
            let inserted = index.insert(key)
            #expect(!inserted)
        }
        #expect(index.count == keys.count)
        let sorted = Array(index.sorted())
        #expect(sorted.count == keys.count)
    }

    /// Keys that share their high half, so that only the low half tells them apart, and
    /// keys at the extremes, around block and merge boundaries.
    @Test func theLowHalfCountsAndTheExtremesAreFound() {
        var index = KeyIndex(blockKeys: 3, minimumRecentLimit: 2)
        let present = [RecordKey(high: 0, low: 0), RecordKey(high: 5, low: 1), RecordKey(high: 5, low: 3),
                       RecordKey(high: 5, low: .max), RecordKey(high: 6, low: 0), RecordKey(high: .max, low: .max),
                       RecordKey(high: .max, low: 7)]
        let absent = [RecordKey(high: 0, low: 1), RecordKey(high: 5, low: 0), RecordKey(high: 5, low: 2),
                      RecordKey(high: 5, low: .max - 1), RecordKey(high: 6, low: 1), RecordKey(high: 4, low: .max),
                      RecordKey(high: .max, low: .max - 1), RecordKey(high: .max, low: 8), RecordKey(high: 7, low: 0)]
        for key in present.reversed() { index.insert(key) }
        for key in present { #expect(index.contains(key)) }
        for key in absent { #expect(!index.contains(key)) }
        let sorted = Array(index.sorted())
        #expect(sorted == present.sorted(by: KeyIndex.less))
    }

    @Test(arguments: [(1, 1), (2, 3), (7, 5), (64, 100), (KeyIndex.blockKeys, KeyIndex.minimumRecentLimit)])
    func agreesWithASetOnRandomKeys(blockKeys: Int, recentLimit: Int) {
        var generator = Generator(state: UInt64(blockKeys * 1_000 + recentLimit))
        var index = KeyIndex(blockKeys: blockKeys, minimumRecentLimit: recentLimit)
        var oracle = Set<RecordKey>()
        // Few distinct high halves, so that many keys differ only in their low half.
        func randomKey() -> RecordKey {
            let high = generator.next()
            return RecordKey(high: high % 4 == 0 ? high % 8 : high, low: generator.next() % 64)
        }
        var added: [RecordKey] = []
        for step in 0..<20_000 {
            let key = generator.next() % 3 == 0 && !added.isEmpty
                ? added[Int(generator.next() % UInt64(added.count))] : randomKey()
            let inserted = index.insert(key)
            #expect(inserted == oracle.insert(key).inserted)
            added.append(key)
            let probe = randomKey()
            #expect(index.contains(probe) == oracle.contains(probe))
            if step % 997 == 0 {
                #expect(index.count == oracle.count)
                for key in oracle { #expect(index.contains(key)) }
            }
        }
        #expect(index.count == oracle.count)
        for key in added { #expect(index.contains(key)) }
        for _ in 0..<20_000 {
            let probe = randomKey()
            #expect(index.contains(probe) == oracle.contains(probe))
        }
        let sorted = Array(index.sorted())
        #expect(sorted == oracle.sorted(by: KeyIndex.less))
    }

    @Test func theRecentSetGrowsWithTheIndex() {
        var index = KeyIndex(blockKeys: 16, minimumRecentLimit: 8)
        var generator = Generator(state: 42)
        for _ in 0..<4_000 { index.insert(RecordKey(high: generator.next(), low: generator.next())) }
        #expect(index.count == 4_000)
        #expect(index.recentLimit > 8)
        #expect(index.recentLimit <= 4_000 / 32)
    }
}
