@testable import PCRE2
import Testing

@Suite struct CaseClosureTests {
    /// The blocks skipped when the table of case sources is built hold no character that
    /// changes when case mapped, in the Unicode data of the Swift this runs on: skipping them
    /// builds the same table as checking each of their characters.
    @Test func theSkippedBlocksHaveNoCasedCharacter() {
        let blocks = CaseClosure.caselessBlocks
        #expect(blocks.first!.lowerBound >= 0x80 && blocks.last!.upperBound <= 0x1FFFF)
        for (earlier, later) in zip(blocks, blocks.dropFirst()) {
            #expect(earlier.upperBound < later.lowerBound, "blocks must be in order and apart")
        }
        var cased: [UInt32] = []
        for block in blocks {
            for value in block {
                if let scalar = Unicode.Scalar(value), scalar.properties.changesWhenCaseMapped { cased.append(value) }
            }
        }
        #expect(cased.isEmpty, "cased characters in skipped blocks: \(cased.prefix(10).map { String($0, radix: 16) })")
    }
}
