import Dispatch
import Foundation
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

    /// A new empty directory for an index's scratch files.
    func scratchDirectory() throws -> String {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("moderate-index-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
        return path
    }

    func index(pageKeys: Int = KeyIndex.pageKeys, recentLimit: Int = KeyIndex.recentLimit) throws -> KeyIndex {
        try KeyIndex(directory: scratchDirectory(), pageKeys: pageKeys, recentLimit: recentLimit)
    }

    @Test func anEmptyIndexHoldsNothing() throws {
        let index = try index()
        #expect(index.count == 0)
        #expect(index.isEmpty)
        #expect(try !index.contains(RecordKey(high: 0, low: 0)))
        #expect(try !index.contains(RecordKey(high: .max, low: .max)))
        #expect(try index.sorted().isEmpty)
    }

    @Test func insertsAreFoundBeforeAndAfterAMerge() throws {
        let index = try index(pageKeys: 4, recentLimit: 3)
        let keys = (0..<10).map { RecordKey.comment(id: "c\($0)") }
        for (number, key) in keys.enumerated() {
            #expect(try !index.contains(key))
            let inserted = try index.insert(key)
            #expect(inserted)
            #expect(index.count == number + 1)
            for earlier in keys[...number] { #expect(try index.contains(earlier)) }
            for later in keys[(number + 1)...] { #expect(try !index.contains(later)) }
        }
    }

    @Test func aDuplicateIsNotCountedTwiceWhereverTheFirstCopyIs() throws {
        let index = try index(pageKeys: 2, recentLimit: 4)
        let keys = (0..<9).map { RecordKey.comment(id: "d\($0)") }
        for key in keys { try index.insert(key) }
        // Keys 0..<8 went through two merges into the file; key 8 is in the recent set.
        for key in keys {
            let inserted = try index.insert(key)
            #expect(!inserted)
        }
        #expect(index.count == keys.count)
        // In batches too: repeats within the batch, of the file and of the recent set.
        let added = try index.insert(contentsOf: keys + keys.reversed() + [.comment(id: "new"), .comment(id: "new")])
        #expect(added == 1)
        #expect(index.count == keys.count + 1)
        #expect(try index.insert(contentsOf: [RecordKey]()) == 0)
        let sorted = try index.sorted()
        #expect(sorted.count == keys.count + 1)
        #expect(Set(sorted) == Set(keys + [.comment(id: "new")]))
    }

    /// Keys that share their high half, so that only the low half tells them apart, and
    /// keys at the extremes, around page and merge boundaries.
    @Test func theLowHalfCountsAndTheExtremesAreFound() throws {
        let index = try index(pageKeys: 3, recentLimit: 2)
        let present = [RecordKey(high: 0, low: 0), RecordKey(high: 5, low: 1), RecordKey(high: 5, low: 3),
                       RecordKey(high: 5, low: .max), RecordKey(high: 6, low: 0), RecordKey(high: .max, low: .max),
                       RecordKey(high: .max, low: 7)]
        let absent = [RecordKey(high: 0, low: 1), RecordKey(high: 5, low: 0), RecordKey(high: 5, low: 2),
                      RecordKey(high: 5, low: .max - 1), RecordKey(high: 6, low: 1), RecordKey(high: 4, low: .max),
                      RecordKey(high: .max, low: .max - 1), RecordKey(high: .max, low: 8), RecordKey(high: 7, low: 0)]
        for key in present.reversed() { try index.insert(key) }
        for key in present { #expect(try index.contains(key)) }
        for key in absent { #expect(try !index.contains(key)) }
        #expect(try index.sorted() == present.sorted(by: KeyIndex.less))
    }

    @Test(arguments: [(1, 1), (2, 3), (7, 5), (64, 100), (KeyIndex.pageKeys, KeyIndex.recentLimit)])
    func agreesWithASetOnRandomKeys(pageKeys: Int, recentLimit: Int) throws {
        var generator = Generator(state: UInt64(pageKeys * 1_000 + recentLimit))
        let index = try index(pageKeys: pageKeys, recentLimit: recentLimit)
        var oracle = Set<RecordKey>()
        // Few distinct high halves, so that many keys differ only in their low half.
        func randomKey() -> RecordKey {
            let high = generator.next()
            return RecordKey(high: high % 4 == 0 ? high % 8 : high, low: generator.next() % 64)
        }
        var added: [RecordKey] = []
        // Every merge rewrites the file, so n keys cost n²/recentLimit: fewer for tiny limits.
        for step in 0..<min(20_000, 2_000 * recentLimit) {
            let key = generator.next() % 3 == 0 && !added.isEmpty
                ? added[Int(generator.next() % UInt64(added.count))] : randomKey()
            let inserted = try index.insert(key)
            #expect(inserted == oracle.insert(key).inserted)
            added.append(key)
            let probe = randomKey()
            #expect(try index.contains(probe) == oracle.contains(probe))
            if step % 997 == 0 {
                #expect(index.count == oracle.count)
                for key in oracle { #expect(try index.contains(key)) }
            }
        }
        #expect(index.count == oracle.count)
        for key in added { #expect(try index.contains(key)) }
        for _ in 0..<20_000 {
            let probe = randomKey()
            #expect(try index.contains(probe) == oracle.contains(probe))
        }
        #expect(try index.sorted() == oracle.sorted(by: KeyIndex.less))
    }

    /// Random keys, keys sharing a high half, and the extremes, added one by one and in
    /// batches through many merges and across many pages.
    @Test(arguments: [(4, 50), (16, 333), (KeyIndex.pageKeys, 1_000)])
    func batchesAgreeWithASetAcrossManyMergesAndPages(pageKeys: Int, recentLimit: Int) throws {
        var generator = Generator(state: UInt64(pageKeys) << 20 | UInt64(recentLimit))
        let index = try index(pageKeys: pageKeys, recentLimit: recentLimit)
        var oracle = Set<RecordKey>()
        let sharedHigh = generator.next()
        func randomKey() -> RecordKey {
            switch generator.next() % 8 {
            case 0: RecordKey(high: sharedHigh, low: generator.next() % 4_096)
            case 1: [RecordKey(high: 0, low: 0), RecordKey(high: 0, low: 1), RecordKey(high: .max, low: .max),
                     RecordKey(high: .max, low: .max - 1), RecordKey(high: 0, low: .max),
                     RecordKey(high: .max, low: 0)][Int(generator.next() % 6)]
            default: RecordKey(high: generator.next(), low: generator.next())
            }
        }
        var added: [RecordKey] = []
        for round in 0..<300 {
            var batch = (0..<Int(generator.next() % 200)).map { _ in randomKey() }
            // Some keys again: from earlier batches (in the file or in `recent`) and from this one.
            for _ in 0..<batch.count / 4 where !added.isEmpty {
                batch.append(added[Int(generator.next() % UInt64(added.count))])
            }
            if let first = batch.first { batch.append(first) }
            let new = Set(batch).subtracting(oracle).count
            if round % 2 == 0 {
                #expect(try index.insert(contentsOf: batch) == new)
            } else {
                var inserted = 0
                for key in batch {
                    if try index.insert(key) { inserted += 1 }
                }
                #expect(inserted == new)
            }
            oracle.formUnion(batch)
            added += batch
            #expect(index.count == oracle.count)
            for _ in 0..<50 {
                let probe = generator.next() % 2 == 0 ? randomKey() : added[Int(generator.next() % UInt64(added.count))]
                #expect(try index.contains(probe) == oracle.contains(probe))
            }
        }
        #expect(oracle.count > 20 * recentLimit)
        for key in oracle { #expect(try index.contains(key)) }
        let sorted = try index.sorted()
        #expect(zip(sorted, sorted.dropFirst()).allSatisfy { KeyIndex.less($0, $1) })
        #expect(sorted.count == oracle.count && Set(sorted) == oracle)
        // After that final merge everything is in the file; lookups still agree.
        for _ in 0..<5_000 {
            let probe = randomKey()
            #expect(try index.contains(probe) == oracle.contains(probe))
        }
    }

    @Test func theScratchFileIsUnlinkedAndTheDirectoryIsLeftAlone() throws {
        let directory = try scratchDirectory()
        let other = directory + "/journal"
        let bytes = Data((0..<1_000).map { UInt8(truncatingIfNeeded: $0) })
        try bytes.write(to: URL(fileURLWithPath: other))
        let index = try KeyIndex(directory: directory, pageKeys: 8, recentLimit: 10)
        #expect(try FileManager.default.contentsOfDirectory(atPath: directory) == ["journal"])
        var generator = Generator(state: 7)
        for _ in 0..<1_000 { try index.insert(RecordKey(high: generator.next(), low: generator.next())) }
        #expect(index.count == 1_000)
        #expect(try FileManager.default.contentsOfDirectory(atPath: directory) == ["journal"])
        #expect(try Data(contentsOf: URL(fileURLWithPath: other)) == bytes)
        #expect(throws: QueueWriteError.self) { try KeyIndex(directory: directory + "/missing") }
    }

    /// Lookups from several threads at once, with nothing inserting, answer like one thread.
    @Test func concurrentLookupsAgreeWithASet() throws {
        let index = try index(pageKeys: 16, recentLimit: 1_000)
        var generator = Generator(state: 99)
        var oracle = Set<RecordKey>()
        // 20,500 keys: 20 merges into the file, 500 left in the recent set.
        while oracle.count < 20_500 {
            let key = RecordKey(high: generator.next() % 1_000, low: generator.next())
            #expect(try index.insert(key) == oracle.insert(key).inserted)
        }
        let probes = Array(oracle) + (0..<20_000).map { _ in RecordKey(high: generator.next() % 1_000, low: generator.next()) }
        let expected = probes.map { oracle.contains($0) }
        let wrong = Counter()
        DispatchQueue.concurrentPerform(iterations: 8) { worker in
            var mismatches = 0
            // Each thread walks the probes from a different place.
            for step in 0..<probes.count {
                let position = (step + worker * probes.count / 8) % probes.count
                if (try? index.contains(probes[position])) != expected[position] { mismatches += 1 }
            }
            wrong.add(mismatches)
        }
        #expect(wrong.value == 0)
    }

    final class Counter: @unchecked Sendable {
        private let lock = NSLock()
        private var total = 0
        func add(_ count: Int) { lock.withLock { total += count } }
        var value: Int { lock.withLock { total } }
    }

    /// The point of keeping the keys on disk: memory stays put as the index grows. (Keys in
    /// memory would take 3.2 MB at 200k keys, and 1.6 MB more than at 100k; the fixed part,
    /// `recent` and the `mayHold` bitmap, is 1.5 MiB.)
    @Test func memoryStaysFlatAsTheIndexGrows() throws {
        let index = try index()
        var generator = Generator(state: 2_026)
        var batch: [RecordKey] = []
        var atHalf = 0
        for number in 1...200_000 {
            batch.append(RecordKey(high: generator.next(), low: generator.next()))
            if batch.count == 5_000 {
                try index.insert(contentsOf: batch)
                batch.removeAll(keepingCapacity: true)
            }
            if number == 100_000 { atHalf = index.memoryBytesEstimate }
        }
        #expect(index.count == 200_000)
        let atFull = index.memoryBytesEstimate
        #expect(atFull < 2 << 20, "\(atFull) bytes")
        #expect(atFull - atHalf < 64 << 10, "\(atHalf) bytes at 100k keys, \(atFull) at 200k")
        let sorted = try index.sorted()
        #expect(sorted.count == 200_000)
        #expect(index.memoryBytesEstimate < 2 << 20)
    }
}
